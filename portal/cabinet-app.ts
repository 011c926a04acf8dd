import path from 'node:path';
import express, { Router } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { BlobStore } from '../connectors/mail/blob-store.js';
import type { AccountDeps } from './accounts/account-deps.js';
import { NotFoundError } from './portal-errors.js';
import { sendError } from './http/send-error.js';
import { csrfGuard, loadSessionMiddleware } from './http/session-cookies.js';
import { sessionRoutes } from './http/session-routes.js';
import { ticketRoutes } from './http/ticket-routes.js';
import { directorRoutes } from './http/director-routes.js';
import { accountRoutes } from './http/account-routes.js';
import { mailRoutes } from './http/mail-routes.js';
import type { ClientMailIntake } from './mail/send-client-mail.js';

export interface CabinetDeps extends AccountDeps {
  blobs: BlobStore;
  log: Logger;
  /** Where replies and new requests written in the cabinet enter, as mail. */
  mailIntake: ClientMailIntake;
  /** Our support address: the To of that mail. */
  supportAddress: string;
  /** The built Vue app (portal/build-portal.ts). */
  assetsDir: string;
}

/**
 * The client cabinet on one origin: the JSON API under /api and the Vue app for every other
 * path (the app routes in the browser). Security headers on everything; the API refuses state
 * changes without the CSRF token and answers errors as JSON without stack traces.
 */
export function cabinetApp(deps: CabinetDeps): Router {
  const app = Router();
  app.use(helmet({
    contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } },
    // Served over plain HTTP in the demo: HSTS belongs to the HTTPS proxy in front.
    strictTransportSecurity: false,
  }));
  const api = Router();
  // Replies and requests may carry files (base64 in the JSON); everything else stays small.
  api.use(['/requests', '/tickets/:number/replies'], express.json({ limit: '10mb' }));
  api.use(express.json({ limit: '64kb' }), cookieParser(), loadSessionMiddleware(deps.db), csrfGuard);
  api.use((_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  api.use(sessionRoutes(deps));
  api.use(ticketRoutes(deps.db, deps.blobs));
  api.use(directorRoutes(deps, deps.blobs));
  api.use(accountRoutes(deps.db));
  api.use(mailRoutes(deps));
  api.use((req, _res, next) => next(new NotFoundError(`API path ${req.path}`)));
  api.use(sendError(deps.log));
  app.use('/api', api);
  app.use(express.static(deps.assetsDir, { index: false, maxAge: '1y', immutable: true }));
  // The app's own paths (/, /tickets, /set-password, ...) all load the one page.
  app.get(/^\/(?!api\/|assets\/|healthz|readyz|b24\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(deps.assetsDir, 'index.html'));
  });
  return app;
}
