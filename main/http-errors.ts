import type express from 'express';

/** Where the details of a failed request go (our pino logger; the sandbox passes none). */
export type HttpErrorLog = (fields: { status: number; code: string; method: string; path: string; err: string; stack?: string }) => void;

// body-parser's error types (express.urlencoded / express.json) and what we answer with.
const BODY_ERRORS: Record<string, string> = {
  'entity.too.large': 'BODY_TOO_LARGE',
  'parameters.too.many': 'TOO_MANY_PARAMETERS',
  'entity.parse.failed': 'MALFORMED_BODY',
  'entity.verify.failed': 'MALFORMED_BODY',
  'request.size.invalid': 'MALFORMED_BODY',
  'request.aborted': 'REQUEST_ABORTED',
  'charset.unsupported': 'UNSUPPORTED_CHARSET',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
};

/**
 * The end of every HTTP server of ours (web, health, sandbox): an unknown path gets a bare
 * 404, and any error a short JSON code with its status. Never a stack trace, a file path or
 * the request path in the answer, whatever NODE_ENV says (express's own handler shows the
 * stack outside "production"); the details go to the log only.
 */
export function finishRoutes(app: express.Express, log?: HttpErrorLog): void {
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: 'NOT_FOUND' });
  });
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown; stack?: unknown };
    const raw = Number(e.status ?? e.statusCode);
    const status = Number.isInteger(raw) && raw >= 400 && raw < 600 ? raw : 500;
    const code = BODY_ERRORS[String(e.type)] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    log?.({ status, code, method: req.method, path: req.path, err: String(e.message ?? err),
      ...(status >= 500 && typeof e.stack === 'string' ? { stack: e.stack } : {}) });
    if (res.headersSent) {
      // Half an answer is out: the only honest end is to cut the connection.
      req.socket.destroy();
      return;
    }
    // A refused body may still be arriving; do not keep reading it.
    if (status === 413) res.set('connection', 'close');
    res.status(status).json({ error: code });
  });
}
