import { timingSafeEqual } from 'node:crypto';
import type { PortalContext } from '../portal-context.js';
import type { Caller } from '../methods/method-registry.js';
import type { RestPath } from './parse-rest-path.js';
import { restErrors } from './rest-error.js';

export function webhookKey(userId: number, secret: string): string {
  return `${userId}/${secret}`;
}

/**
 * A webhook path authenticates by user id and secret; anything else needs `auth=<token>`.
 * Wrong credentials → 401 NO_AUTH_FOUND; an expired token → 401 expired_token (reference §7).
 */
export function resolveCaller(ctx: PortalContext, path: RestPath, authToken: string | undefined): Caller {
  if (path.webhook) {
    const hook = findWebhook(ctx, path.webhook.userId, path.webhook.secret);
    if (!hook) throw restErrors.noAuth();
    return { kind: 'webhook', userId: hook.userId, scopes: [...hook.scopes], clientId: null, webhook: hook };
  }
  if (!authToken) throw restErrors.noAuth();
  const token = ctx.state.auth.accessTokens.get(authToken);
  if (!token) throw restErrors.noAuth();
  if (token.expiresAt <= ctx.now()) throw restErrors.expiredToken();
  const app = ctx.state.auth.apps.get(token.clientId);
  if (!app) throw restErrors.noAuth();
  return { kind: 'app', userId: token.userId, scopes: [...app.scopes], clientId: app.clientId, webhook: null };
}

function findWebhook(ctx: PortalContext, userId: number, secret: string) {
  for (const hook of ctx.state.auth.webhooks.values()) {
    if (hook.userId === userId && sameSecret(hook.secret, secret)) return hook;
  }
  return undefined;
}

/** Constant-time, like a portal's checks of secrets. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
