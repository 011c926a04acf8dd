import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { HTTP_STATUS, PortalError } from '../portal-errors.js';

/**
 * The cabinet API's one error boundary: a PortalError becomes its status and code; anything
 * else is logged and answered with a bare 500, never a stack trace.
 */
export function sendError(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof PortalError) {
      if (res.headersSent) return;
      res.status(HTTP_STATUS[err.code] ?? 400).json({ error: { code: err.code, message: err.message } });
      return;
    }
    // express.json() reports a body it cannot read as a 4xx with `type`.
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err: (err as Error)?.message, path: req.path }, 'cabinet request failed');
    if (res.headersSent) return;
    res.status(status).json({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : 'bad request' } });
  };
}
