import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../tickets/store/db.js';
import { STAFF_COOKIE } from './panel-session.js';
import { openStaffSession } from './staff-sessions.js';

/** The handler path of our application's page in the portal (the local application's form). */
export const APP_PAGE_PATH = '/b24/app';

export interface AppPageDeps {
  db: Db;
  log: Logger;
  sessionMs: number;
  /** Asks the configured portal who the posted token is (connectors/bitrix24/verify-app-page.ts). */
  verify(form: Record<string, unknown>): Promise<{ ok: true; b24UserId: number } | { ok: false; reason: string }>;
}

const REFUSED = 'Панель не открылась: портал не подтвердил вход. Откройте приложение заново. / '
  + 'The panel did not open: the portal did not confirm who you are. Open the application again.';
const UNKNOWN = 'Вас нет среди сотрудников поддержки. / You are not among the support staff.';

/**
 * OAuth mode: the panel opened inside the portal as our application's page. The portal posts the
 * person's token; the configured portal confirms whose it is; that person, if the directory sync
 * knows them, gets a panel session and the queue. In the portal's frame the cookie is a third
 * party's, so it is SameSite=None (which needs HTTPS, as the portal requires of an app anyway).
 */
export function appPageRoute(deps: AppPageDeps): Router {
  const r = Router();
  r.post(APP_PAGE_PATH, express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }), async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const verdict = await deps.verify({ ...body, DOMAIN: req.query.DOMAIN ?? body.DOMAIN });
      res.set('Cache-Control', 'no-store');
      if (!verdict.ok) {
        deps.log.warn({ reason: verdict.reason, ip: req.ip }, 'application page refused');
        res.status(403).type('text/plain; charset=utf-8').send(REFUSED);
        return;
      }
      const [employee] = await deps.db.query<{ id: string }>('select id from employees where b24_user_id = $1 and active', [String(verdict.b24UserId)]);
      if (!employee) {
        res.status(403).type('text/plain; charset=utf-8').send(UNKNOWN);
        return;
      }
      const session = await deps.db.transaction((tx) => openStaffSession(tx, Number(employee.id), {
        now: new Date(), ttlMs: deps.sessionMs, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null,
      }));
      res.cookie(STAFF_COOKIE, session.sessionId, {
        httpOnly: true, path: '/', maxAge: deps.sessionMs, secure: req.secure, sameSite: req.secure ? 'none' : 'lax',
      });
      deps.log.info({ employee: session.employeeId }, 'staff signed in from the application page');
      res.redirect(303, '/panel');
    } catch (err) {
      next(err);
    }
  });
  return r;
}
