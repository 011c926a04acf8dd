import { randomBytes } from 'node:crypto';
import { restEndpoint, type PortalContext } from '../portal-context.js';
import type { AppRecord, TokenRecord } from '../portal-state.js';
import { unixSeconds } from '../bitrix-date.js';

export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

export interface TokenPair {
  access: TokenRecord;
  refresh: TokenRecord;
}

// reference §1: access tokens live an hour (configurable here), refresh tokens 180 days
const REFRESH_TTL_MS = 180 * 86_400_000;

export function issueTokens(ctx: PortalContext, clientId: string, userId: number): TokenPair {
  const now = ctx.now();
  const access: TokenRecord = { token: randomToken(), clientId, userId, expiresAt: now + ctx.config.accessTokenTtlSec * 1000 };
  const refresh: TokenRecord = { token: randomToken(), clientId, userId, expiresAt: now + REFRESH_TTL_MS };
  ctx.state.auth.accessTokens.set(access.token, access);
  ctx.state.auth.refreshTokens.set(refresh.token, refresh);
  return { access, refresh };
}

/** The refresh token is spent: the old one dies and a new pair is issued (reference §1). */
export function redeemRefreshToken(ctx: PortalContext, token: string, app: AppRecord): TokenPair | null {
  const record = ctx.state.auth.refreshTokens.get(token);
  if (!record || record.clientId !== app.clientId || record.expiresAt <= ctx.now()) return null;
  ctx.state.auth.refreshTokens.delete(token);
  return issueTokens(ctx, app.clientId, record.userId);
}

/** The `auth` block Bitrix24 puts in app event deliveries and in ONAPPINSTALL (reference §1, §2):
 * the token endpoint's fields as strings (deliveries are form-encoded), and the application token. */
export function appAuthBlock(ctx: PortalContext, app: AppRecord, userId: number): Record<string, unknown> {
  const fields = tokenResponse(ctx, app, issueTokens(ctx, app.clientId, userId));
  return { ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])), application_token: app.applicationToken };
}

export function tokenResponse(ctx: PortalContext, app: AppRecord, pair: TokenPair): Record<string, unknown> {
  return {
    access_token: pair.access.token,
    expires: unixSeconds(pair.access.expiresAt),
    expires_in: ctx.config.accessTokenTtlSec,
    scope: app.scopes.join(','),
    domain: ctx.config.domain,
    server_endpoint: restEndpoint(ctx),
    status: 'L',
    client_endpoint: restEndpoint(ctx),
    member_id: ctx.config.memberId,
    user_id: pair.access.userId,
    refresh_token: pair.refresh.token,
  };
}
