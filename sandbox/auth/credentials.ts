import { restEndpoint, type PortalContext } from '../portal-context.js';
import { unixSeconds } from '../bitrix-date.js';
import { ensureUser } from '../seed-sample-data.js';
import { webhookKey } from '../rest/resolve-caller.js';
import type { AppRecord } from '../portal-state.js';
import { appAuthBlock, issueTokens, randomToken } from './oauth-tokens.js';

// reference §1: the scopes an inbound webhook can tick
export const ALL_SCOPES = ['imbot', 'im', 'task', 'tasks', 'user', 'user_brief', 'user_basic', 'department', 'disk'];

/** Creates an inbound webhook for a user and returns its URL, `https://…/rest/{userId}/{secret}/`. */
export function createWebhook(ctx: PortalContext, userId: number, scopes: string[] = ALL_SCOPES, secret = randomToken(8)): string {
  ensureUser(ctx, userId);
  ctx.state.auth.webhooks.set(webhookKey(userId, secret), { userId, secret, scopes: [...scopes] });
  return `${ctx.config.baseUrl}/rest/${userId}/${secret}/`;
}

/** The URL of the user's first webhook with every scope, made on first use. */
export function webhookUrlFor(ctx: PortalContext, userId: number): string {
  for (const hook of ctx.state.auth.webhooks.values()) {
    if (hook.userId === userId && ALL_SCOPES.every((s) => hook.scopes.includes(s))) {
      return `${ctx.config.baseUrl}/rest/${userId}/${hook.secret}/`;
    }
  }
  return createWebhook(ctx, userId);
}

/** What a local server app learns on install (reference §1), shaped for `new B24OAuth(…)`. */
export interface OAuthInstall {
  clientId: string;
  clientSecret: string;
  applicationToken: string;
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  accessToken: string;
  refreshToken: string;
  expires: number;
  expiresIn: number;
  scope: string;
  status: 'L';
  userId: number;
}

export interface InstallAppOptions {
  userId?: number;
  scopes?: string[];
  /** When given, ONAPPINSTALL is POSTed here, form-encoded, as Bitrix24 does on saving the app form. */
  installHandlerUrl?: string;
  /** Install an app created before (createApp) or uninstalled, keeping its client_id and secret. */
  clientId?: string;
}

/** The app form saved, not yet installed: its client_id and client_secret exist, nothing else. */
export function createApp(ctx: PortalContext, scopes: string[] = ALL_SCOPES): { clientId: string; clientSecret: string } {
  const app: AppRecord = { clientId: `local.${randomToken(7)}`, clientSecret: randomToken(20), applicationToken: '', scopes: [...scopes] };
  ctx.state.auth.apps.set(app.clientId, app);
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}

/**
 * Installs a local OAuth app: a new application token (every install gets its own) and a
 * first token pair for the installing user.
 */
export function installApp(ctx: PortalContext, opts: InstallAppOptions = {}): OAuthInstall {
  const userId = opts.userId ?? 1;
  ensureUser(ctx, userId);
  const clientId = opts.clientId ?? createApp(ctx, opts.scopes).clientId;
  const app = ctx.state.auth.apps.get(clientId);
  if (!app) throw new Error(`no app ${clientId}`);
  if (opts.scopes) app.scopes = [...opts.scopes];
  app.applicationToken = randomToken();
  if (opts.installHandlerUrl) {
    ctx.pushes.enqueue(opts.installHandlerUrl, 'ONAPPINSTALL', {
      event: 'ONAPPINSTALL',
      data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: ctx.config.language },
      ts: unixSeconds(ctx.now()),
      auth: appAuthBlock(ctx, app, userId),
    });
  }
  const { access, refresh } = issueTokens(ctx, app.clientId, userId);
  return {
    clientId: app.clientId, clientSecret: app.clientSecret, applicationToken: app.applicationToken,
    memberId: ctx.config.memberId, domain: ctx.config.domain, clientEndpoint: restEndpoint(ctx),
    serverEndpoint: restEndpoint(ctx), accessToken: access.token, refreshToken: refresh.token,
    expires: unixSeconds(access.expiresAt), expiresIn: ctx.config.accessTokenTtlSec, scope: app.scopes.join(','),
    status: 'L', userId,
  };
}

/** Makes every access token issued so far expired, so the next call gets 401 expired_token. */
export function expireAccessTokens(ctx: PortalContext): void {
  const past = ctx.now() - 1;
  for (const token of ctx.state.auth.accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, past);
}

/**
 * A person opens an installed application's page in the portal (PLACEMENT DEFAULT): the form the
 * portal posts to the app's handler, with that person's own tokens, and what it puts in the address.
 */
export function appPageRequest(ctx: PortalContext, clientId: string, userId: number): { form: Record<string, string>; query: Record<string, string> } {
  const app = ctx.state.auth.apps.get(clientId);
  if (!app) throw new Error(`no app ${clientId}`);
  ensureUser(ctx, userId);
  const { access, refresh } = issueTokens(ctx, app.clientId, userId);
  return {
    form: {
      AUTH_ID: access.token, AUTH_EXPIRES: String(ctx.config.accessTokenTtlSec), REFRESH_ID: refresh.token,
      SERVER_ENDPOINT: restEndpoint(ctx), APPLICATION_TOKEN: app.applicationToken, APPLICATION_SCOPE: app.scopes.join(','),
      member_id: ctx.config.memberId, status: 'L', PLACEMENT: 'DEFAULT', PLACEMENT_OPTIONS: '{}',
    },
    query: { DOMAIN: ctx.config.domain, PROTOCOL: '1', LANG: ctx.config.language, APP_SID: randomToken() },
  };
}
