import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { CsrfError } from '../../portal-errors.js';

/** Where the queues' board is served: under the panel, behind the administrators' sign-in. */
export const QUEUE_BOARD_PATH = '/panel/admin/queues';

/**
 * Bull Board's own pages post without our CSRF token; the staff cookie is SameSite=Lax (another
 * site's form posts carry none) and a request another origin names is refused here as well.
 */
function sameOrigin(req: Request, _res: Response, next: NextFunction): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const origin = req.get('origin') ?? req.get('referer');
  let host = '';
  try { host = origin ? new URL(origin).host : ''; } catch { /* refused below */ }
  next(host === req.get('host') ? undefined : new CsrfError('cross-origin request to the queue board'));
}

/** The queues' state and jobs (Bull Board), to mount at QUEUE_BOARD_PATH after the admin check. */
export function queueBoard(queues: readonly Queue[]): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Modest' } } });
  const r = Router();
  // Its own pages, outside the panel's CSP: at least nobody frames them.
  r.use((_req, res, next) => { res.set('X-Frame-Options', 'DENY'); next(); });
  r.use(sameOrigin, adapter.getRouter() as Router);
  return r;
}
