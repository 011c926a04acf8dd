import https from 'node:https';
import axios from 'axios';
import type { OAuthApp, OAuthTokens, TransportOptions } from './b24-transport.js';
import { tokensFromInstall } from './oauth-store.js';
import { sameSecret } from './same-secret.js';

export type InstallVerdict = { ok: true; tokens: OAuthTokens } | { ok: false; reason: string };

const REQUIRED = ['access_token', 'refresh_token', 'application_token', 'member_id', 'domain'] as const;

/**
 * Whether an ONAPPINSTALL is really our application installed on our portal (issue 12):
 * it must name the configured portal, carry the pinned member_id when one is pinned, and
 * the portal itself must accept its access token and say it belongs to our client_id.
 * Nothing from the request decides where we connect: the call-back goes to the configured
 * portal, and our client_secret goes nowhere here.
 */
export async function verifyInstall(auth: Record<string, unknown>, app: OAuthApp, pinnedMember: string | null,
  opts: TransportOptions = {}): Promise<InstallVerdict> {
  for (const key of REQUIRED) if (typeof auth[key] !== 'string' || auth[key] === '') return { ok: false, reason: `no auth[${key}]` };
  const a = auth as Record<string, string>;
  const portal = new URL(app.portalUrl);
  if (a.domain.toLowerCase() !== portal.host.toLowerCase()) return { ok: false, reason: 'another portal (domain)' };
  if (a.client_endpoint !== undefined && a.client_endpoint.replace(/\/+$/, '') !== `${portal.origin}/rest`) {
    return { ok: false, reason: 'another portal (client_endpoint)' };
  }
  if (pinnedMember !== null && !sameSecret(a.member_id, pinnedMember)) return { ok: false, reason: 'another member_id than the pinned one' };
  const code = await appCode(app.portalUrl, a.access_token, opts);
  if (code === null) return { ok: false, reason: 'the portal did not accept the access token' };
  if (!sameSecret(code, app.clientId)) return { ok: false, reason: 'the token belongs to another application' };
  return { ok: true, tokens: tokensFromInstall(a, app) };
}

/**
 * `app.info` on the portal with the given token (api-reference/common/system/app-info.md):
 * `CODE`, which for a local application is its client_id. Null on any refusal. No refresh
 * on expired_token: an install brings a fresh token, and a refresh would send our secret.
 */
async function appCode(portalUrl: string, accessToken: string, opts: TransportOptions): Promise<string | null> {
  try {
    const { status, data } = await axios.post(`${portalUrl}/rest/app.info.json`, new URLSearchParams({ auth: accessToken }), {
      httpsAgent: opts.caPem ? new https.Agent({ ca: opts.caPem }) : undefined,
      timeout: 15_000, maxRedirects: 0, validateStatus: () => true,
    });
    const result = status === 200 && data && typeof data === 'object' ? (data as { result?: Record<string, unknown> }).result : undefined;
    const code = result?.CODE ?? result?.client_id;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
