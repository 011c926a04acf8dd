import type { Request, Response } from 'express';
import type { PortalContext } from '../portal-context.js';
import type { FaultInjector } from './fault-injector.js';
import type { LeakyBucket } from './leaky-bucket.js';
import { makeInvoker, type MethodOverride } from './invoke-method.js';
import { parseRestPath } from './parse-rest-path.js';
import { readRequestParams } from './read-params.js';
import { maskSecret, type RequestLog, type RequestLogEntry } from './request-log.js';
import { resolveCaller } from './resolve-caller.js';
import { successBody, timeBlock } from './rest-envelope.js';
import { RestError, restErrors, v2ErrorBody, v3ErrorBody } from './rest-error.js';

export interface RestDeps {
  portal: PortalContext;
  bucket: LeakyBucket | null;
  faults: FaultInjector;
  log: RequestLog;
  overrides: Map<string, MethodOverride>;
}

/** Serves every `/rest/…` request: faults, the rate limit, auth, the method, the envelope. */
export function createRestHandler(deps: RestDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = deps.portal.now();
    const [pathname, rawQuery = ''] = req.originalUrl.split(/\?(.*)/s, 2);
    const entry = deps.log.begin({ at: Date.now(), httpMethod: req.method, path: maskSecret(pathname) });
    const path = parseRestPath(pathname);
    entry.version = path?.version ?? null;
    entry.method = path?.method ?? '';
    try {
      await deps.faults.delay();
      if (!path) throw restErrors.methodNotFound();
      if (deps.faults.inStorm() || (deps.bucket && !deps.bucket.take())) throw restErrors.queryLimit();
      const fault = deps.faults.pick();
      if (fault === 'internal') throw restErrors.internal();
      const body = typeof req.body === 'string' ? req.body : '';
      const { params, auth } = readRequestParams(rawQuery, body, req.headers['content-type'] ?? '', path.version);
      entry.params = params;
      const caller = resolveCaller(deps.portal, path, auth);
      Object.assign(entry, { auth: caller.kind, userId: caller.userId });
      if (path.method.toLowerCase() === 'batch') entry.subCalls = batchMethodNames(params.cmd);
      const out = await makeInvoker(deps.portal, caller, path.version, deps.overrides)(path.method, params);
      if (fault === 'bad-gateway') return finish(res, entry, 502, null);
      if (fault === 'reset' || deps.faults.takeReset([path.method, ...(entry.subCalls ?? [])])) {
        // The method ran; its answer never leaves: the connection just drops (ECONNRESET).
        entry.error = 'CONNECTION_RESET';
        req.socket.destroy();
        return;
      }
      const time = timeBlock(started, deps.portal.now(), deps.portal.config.tzOffsetMinutes);
      finish(res, entry, 200, successBody(out, time));
    } catch (e) {
      const err = e instanceof RestError ? e : restErrors.internal();
      entry.error = err.code;
      finish(res, entry, err.status, path?.version === 'v3' ? v3ErrorBody(err) : v2ErrorBody(err));
    } finally {
      entry.durationMs = deps.portal.now() - started;
    }
  };
}

function finish(res: Response, entry: RequestLogEntry, status: number, body: Record<string, unknown> | null): void {
  entry.status = status;
  if (body === null) {
    // a gateway's own page: no JSON at all
    res.status(status).type('html').send('<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>');
    return;
  }
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function batchMethodNames(cmd: unknown): string[] {
  const rows = Array.isArray(cmd) ? cmd : typeof cmd === 'object' && cmd !== null ? Object.values(cmd) : [];
  return rows.map((row) => (typeof row === 'string' ? row.split('?')[0] : ''));
}
