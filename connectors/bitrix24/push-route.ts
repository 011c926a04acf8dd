import crypto from 'node:crypto';
import express from 'express';
import type { Logger } from 'pino';
import { sameSecret } from './same-secret.js';

export interface PushedEvent {
  type: string;
  data: Record<string, unknown>;
  auth: Record<string, string>;
  /** sha1 of the raw body: Bitrix24 gives pushed v2 events no id of their own. */
  digest: string;
}

export type InstallResult = { ok: true } | { ok: false; reason: string };

export interface PushRouteDeps {
  /** The application_token stored at install; null while the app is not installed. */
  expectedToken(): Promise<string | null>;
  /** The configured portal: `portal.example.com` and `https://portal.example.com/rest/`. */
  portal: { host: string; restUrl: string };
  accept(event: PushedEvent): Promise<void>;
  /** ONAPPINSTALL: verify with the portal, then store the tokens. */
  install(auth: Record<string, string>): Promise<InstallResult>;
  /** ONAPPUNINSTALL (already checked against the stored application_token): forget the tokens. */
  uninstall(auth: Record<string, string>): Promise<void>;
  log: Logger;
}

// Events are small (reference §2): a message of 20 000 characters form-encoded stays far
// below this. Anything bigger, or with more fields, is refused before it is parsed.
export const EVENT_BODY_LIMIT = '256kb';
export const EVENT_PARAMETER_LIMIT = 1000;

type Body = { event?: unknown; data?: Record<string, unknown>; auth?: Record<string, string> };

/** reference §2: `auth[domain]` names the portal; `client_endpoint`, when sent, must be its REST address. */
function fromOurPortal(auth: Record<string, string> | undefined, portal: PushRouteDeps['portal']): boolean {
  if (!auth || typeof auth.domain !== 'string' || auth.domain.toLowerCase() !== portal.host.toLowerCase()) return false;
  return auth.client_endpoint === undefined || auth.client_endpoint.replace(/\/+$/, '') === portal.restUrl.replace(/\/+$/, '');
}

/**
 * Events Bitrix24 pushes to us (local application with a public URL). reference §2: a POST,
 * form-encoded by PHP http_build_query with nested keys (`data[PARAMS][MESSAGE]`), every
 * scalar a string. Cheap to refuse: the size and field count are capped before parsing, and
 * the application_token (constant-time compare) and portal are checked before anything is
 * queued; a refusal gets 401, a log line, and changes nothing.
 */
export function b24PushRouter(deps: PushRouteDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({
    extended: true, limit: EVENT_BODY_LIMIT, parameterLimit: EVENT_PARAMETER_LIMIT,
    verify: (req, _res, buf) => { (req as unknown as { rawBody: Buffer }).rawBody = buf; },
  });
  router.post('/b24/events', form, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const type = String(body.event ?? '').toUpperCase();
    const expected = await deps.expectedToken();
    if (!expected || !sameSecret(body.auth?.application_token, expected) || !fromOurPortal(body.auth, deps.portal)) {
      deps.log.warn({ event: type.slice(0, 64), ip: req.ip }, 'refused a Bitrix24 event: wrong or missing application_token, or another portal');
      res.status(401).json({ error: 'INVALID_APPLICATION_TOKEN' });
      return;
    }
    if (type === 'ONAPPUNINSTALL') {
      await deps.uninstall(body.auth!);
      res.json({ ok: true });
      return;
    }
    const digest = crypto.createHash('sha1').update((req as unknown as { rawBody?: Buffer }).rawBody ?? '').digest('hex');
    await deps.accept({ type, data: body.data ?? {}, auth: body.auth ?? {}, digest });
    res.json({ ok: true });
  });
  router.post('/b24/install', form, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const verdict: InstallResult = String(body.event).toUpperCase() !== 'ONAPPINSTALL' || !body.auth || typeof body.auth !== 'object'
      ? { ok: false, reason: 'not an ONAPPINSTALL with auth' }
      : await deps.install(body.auth);
    if (!verdict.ok) {
      deps.log.warn({ reason: verdict.reason, ip: req.ip }, 'refused a Bitrix24 install callback');
      res.status(401).json({ error: 'INSTALL_REFUSED' });
      return;
    }
    res.json({ ok: true });
  });
  return router;
}
