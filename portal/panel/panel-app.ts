import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { checkStaffLink } from '../../bot/panel-links.js';
import { TicketError } from '../../tickets/errors.js';
import type { Db } from '../../tickets/store/db.js';
import { HTTP_STATUS, NotFoundError, PortalError } from '../portal-errors.js';
import type { PanelActionDeps } from './panel-actions.js';
import { panelApiRoutes } from './panel-routes.js';
import { boardRoutes } from './board-routes.js';
import { adminRoutes, requireAdmin } from './admin/admin-routes.js';
import { QUEUE_BOARD_PATH, queueBoard } from './admin/queue-board.js';
import type { SystemSources } from './admin/system-state.js';
import { appPageRoute, type AppPageDeps } from './app-page.js';
import { loadStaffMiddleware, setStaffCookie } from './panel-session.js';
import type { PanelRights } from './staff-rights.js';
import { redeemStaffLink } from './staff-sessions.js';
import type { TicketFeed } from './ticket-feed.js';

export interface PanelDeps {
  db: Db;
  log: Logger;
  actions: PanelActionDeps;
  feed: TicketFeed;
  rights: PanelRights;
  /** The links' key (config.panel.linkSecret); null: nobody signs in by link. */
  linkSecret: string | null;
  sessionMs: number;
  /** The built web app (portal/build-portal.ts): its panel.html is the panel's page. */
  assetsDir: string;
  /** What the administration shows of the system (mailboxes, Bitrix24, queues); absent: no system pages. */
  system?: SystemSources;
  /** OAuth mode: the application's page in the portal, and the portal's origin that may frame the panel. */
  appPage?: { verify: AppPageDeps['verify']; portalOrigin: string };
}

/** The panel's pages: the queue, a ticket. The SPA routes in the browser. */
const PAGE = /^\/(?:panel(?:\/.*)?|tickets\/\d{1,12})$/;

/**
 * A signed link (`?t=`) becomes a session, then the same address without the token (so it is
 * neither in the history nor in a Referer). A link that is expired, forged or used already
 * leads to the page with `?link=refused`, which says how to get a fresh one — unless the
 * browser is signed in anyway, as after opening an old card.
 */
async function signInByLink(deps: PanelDeps, req: Request, res: Response): Promise<void> {
  const target = req.path;
  const check = deps.linkSecret ? checkStaffLink(deps.linkSecret, String(req.query.t), new Date()) : null;
  const session = check?.ok
    ? await deps.db.transaction((tx) => redeemStaffLink(tx, check.claims, {
      now: new Date(), ttlMs: deps.sessionMs, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null,
    }))
    : null;
  if (session) {
    setStaffCookie(req, res, session.sessionId, deps.sessionMs);
    deps.log.info({ employee: session.employeeId }, 'staff signed in by link');
  } else deps.log.info({ reason: check?.ok ? 'used_or_unknown' : check?.reason ?? 'no_key' }, 'staff sign-in link refused');
  res.set('Cache-Control', 'no-store');
  res.redirect(303, session || req.staff ? target : `${target}?link=refused`);
}

function panelErrors(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof PortalError) {
      res.status(HTTP_STATUS[err.code] ?? 409).json({ error: { code: err.code, message: err.message } });
      return;
    }
    // A rule of the ticket said no (a stale page): the same refusal the bot gives, as 409.
    if (err instanceof TicketError) {
      res.status(409).json({ error: { code: err.code, message: err.message } });
      return;
    }
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err: (err as Error)?.message, path: req.path }, 'panel request failed');
    res.status(status).json({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : 'bad request' } });
  };
}

/** The queue board's refusals as a short page in both languages (it is opened as a page, not called). */
const boardErrors: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = err instanceof PortalError ? HTTP_STATUS[err.code] ?? 403 : 500;
  res.status(status).type('text/plain; charset=utf-8').send(status === 401
    ? 'Войдите в панель по ссылке из бота (/panel). / Sign in to the panel with a link from the bot (/panel).'
    : status === 403 ? 'Только для администраторов. / Administrators only.' : 'Ошибка. / Error.');
};

/**
 * The operator panel for staff: /panel (the queue), /tickets/N (a ticket, the address bot
 * cards and escalation tasks link to) and its API under /api/panel. Mounted before the
 * client cabinet, whose own pages are elsewhere.
 */
export function panelApp(deps: PanelDeps): Router {
  const app = Router();
  const staffOnly = Router();
  staffOnly.use(helmet({
    contentSecurityPolicy: { directives: { 'frame-ancestors': deps.appPage ? ["'self'", deps.appPage.portalOrigin] : ["'none'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } },
    strictTransportSecurity: false,
  }));
  staffOnly.use(cookieParser(), loadStaffMiddleware(deps.db, deps.rights));
  const api = Router();
  api.use((_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  api.use(panelApiRoutes(deps.db, deps.actions, deps.feed));
  api.use(boardRoutes(deps.db, deps.actions));
  if (deps.system) api.use(adminRoutes(deps.db, deps.system));
  api.use((req, _res, next) => next(new NotFoundError(`API path ${req.path}`)));
  api.use(panelErrors(deps.log));
  staffOnly.use('/api/panel', api);
  // The page's scripts and styles: the same build the cabinet serves, here too so the panel stands alone.
  app.use('/assets', express.static(path.join(deps.assetsDir, 'assets'), { index: false, maxAge: '1y', immutable: true }));
  staffOnly.get(PAGE, async (req, res, next) => {
    try {
      if (req.query.t !== undefined) return await signInByLink(deps, req, res);
      res.set('Cache-Control', 'no-cache');
      res.sendFile(path.join(deps.assetsDir, 'panel.html'));
    } catch (err) {
      next(err);
    }
  });
  if (deps.appPage) app.use(appPageRoute({ db: deps.db, log: deps.log, sessionMs: deps.sessionMs, verify: deps.appPage.verify }));
  if (deps.system) {
    // Bull Board serves its own page and scripts: outside the panel's page rules, behind the same admin check.
    app.use(QUEUE_BOARD_PATH, cookieParser(), loadStaffMiddleware(deps.db, deps.rights), requireAdmin, queueBoard(deps.system.queues), boardErrors);
  }
  app.use((req, res, next) => (req.path.startsWith('/api/panel') || PAGE.test(req.path) ? staffOnly(req, res, next) : next()));
  return app;
}
