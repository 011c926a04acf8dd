import crypto from 'node:crypto';
import express from 'express';
import type { Logger } from 'pino';

export interface PushedEvent {
  type: string;
  data: Record<string, unknown>;
  auth: Record<string, string>;
  /** sha1 of the raw body: Bitrix24 gives pushed v2 events no id of their own. */
  digest: string;
}

export interface PushRouteDeps {
  /** The application_token stored at install; null while the app is not installed. */
  expectedToken(): Promise<string | null>;
  accept(event: PushedEvent): Promise<void>;
  /** ONAPPINSTALL: store the tokens. Returns false to refuse (see installation rules). */
  install(auth: Record<string, string>): Promise<boolean>;
  log: Logger;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Events Bitrix24 pushes to us (local application with a public URL). reference §2: a POST,
 * form-encoded by PHP http_build_query with nested keys (`data[PARAMS][MESSAGE]`), every
 * scalar a string. Accepted only with our application_token (constant-time compare);
 * anything else gets 401, a log line, and changes nothing.
 */
export function b24PushRouter(deps: PushRouteDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({
    extended: true, limit: '5mb', parameterLimit: 100_000,
    verify: (req, _res, buf) => { (req as unknown as { rawBody: Buffer }).rawBody = buf; },
  });
  router.post('/b24/events', form, async (req, res) => {
    const body = (req.body ?? {}) as { event?: string; data?: Record<string, unknown>; auth?: Record<string, string> };
    const token = body.auth?.application_token;
    const expected = await deps.expectedToken();
    if (!expected || typeof token !== 'string' || !sameToken(token, expected)) {
      deps.log.warn({ event: body.event, ip: req.ip }, 'refused a Bitrix24 event: wrong or missing application_token');
      res.status(401).json({ error: 'INVALID_APPLICATION_TOKEN' });
      return;
    }
    const digest = crypto.createHash('sha1').update((req as unknown as { rawBody: Buffer }).rawBody ?? '').digest('hex');
    await deps.accept({ type: String(body.event ?? '').toUpperCase(), data: body.data ?? {}, auth: body.auth ?? {}, digest });
    res.json({ ok: true });
  });
  router.post('/b24/install', form, async (req, res) => {
    const body = (req.body ?? {}) as { event?: string; auth?: Record<string, string> };
    if (String(body.event).toUpperCase() !== 'ONAPPINSTALL' || !body.auth?.application_token || !(await deps.install(body.auth))) {
      deps.log.warn({ event: body.event, ip: req.ip }, 'refused a Bitrix24 install callback');
      res.status(401).json({ error: 'INSTALL_REFUSED' });
      return;
    }
    deps.log.info({ domain: body.auth.domain, memberId: body.auth.member_id }, 'bitrix24 application installed');
    res.json({ ok: true });
  });
  return router;
}
