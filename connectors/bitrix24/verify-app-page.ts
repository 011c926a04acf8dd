import https from 'node:https';
import axios from 'axios';
import type { TransportOptions } from './b24-transport.js';
import { sameSecret } from './same-secret.js';

export type AppPageVerdict = { ok: true; b24UserId: number } | { ok: false; reason: string };

/** What the install left us to check a page's post against (null while not installed). */
export interface InstalledApp { memberId: string; applicationToken: string }

/**
 * Who opened our application's page inside the portal. The portal posts (settings/oauth/
 * simple-way.md in the official REST docs) the person's own token `AUTH_ID`, our
 * `APPLICATION_TOKEN` and `member_id`, with `DOMAIN` in the address; none of it is believed as
 * given: it must name the configured portal, the pinned member_id and the application token of
 * our install (a post that fails these is refused without a call), and the configured portal
 * itself must accept the token as our application's (`app.info`) and say whose it is
 * (`profile`). No call goes to a host the request names, and no secret of ours is sent.
 */
export async function verifyAppPage(form: Record<string, unknown>, app: { portalUrl: string; clientId: string }, installed: InstalledApp | null,
  opts: TransportOptions = {}): Promise<AppPageVerdict> {
  const token = form.AUTH_ID;
  const member = form.member_id;
  if (typeof token !== 'string' || token === '' || token.length > 2048) return { ok: false, reason: 'no AUTH_ID' };
  if (typeof member !== 'string' || member === '') return { ok: false, reason: 'no member_id' };
  const portal = new URL(app.portalUrl);
  if (typeof form.DOMAIN === 'string' && form.DOMAIN.toLowerCase() !== portal.host.toLowerCase()) return { ok: false, reason: 'another portal (DOMAIN)' };
  if (installed === null) return { ok: false, reason: 'the application is not installed' };
  if (!sameSecret(member, installed.memberId)) return { ok: false, reason: 'another member_id than the pinned one' };
  if (!sameSecret(form.APPLICATION_TOKEN, installed.applicationToken)) return { ok: false, reason: 'not our application token' };
  const [info, profile] = await Promise.all([call(app.portalUrl, 'app.info', token, opts), call(app.portalUrl, 'profile', token, opts)]);
  const code = info?.CODE ?? info?.client_id;
  if (typeof code !== 'string' || !sameSecret(code, app.clientId)) return { ok: false, reason: 'the portal did not accept the token as ours' };
  const id = Number(profile?.ID);
  if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, reason: 'the portal did not say whose the token is' };
  return { ok: true, b24UserId: id };
}

/** One method on the configured portal with the person's token; null on any refusal (no refresh: that would need our secret). */
async function call(portalUrl: string, method: string, token: string, opts: TransportOptions): Promise<Record<string, unknown> | null> {
  try {
    const { status, data } = await axios.post(`${portalUrl}/rest/${method}.json`, new URLSearchParams({ auth: token }), {
      httpsAgent: opts.caPem ? new https.Agent({ ca: opts.caPem }) : undefined,
      timeout: 15_000, maxRedirects: 0, validateStatus: () => true,
    });
    const result = status === 200 && data && typeof data === 'object' ? (data as { result?: unknown }).result : undefined;
    return result && typeof result === 'object' ? result as Record<string, unknown> : null;
  } catch {
    return null;
  }
}
