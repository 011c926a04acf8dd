import type { Db } from '../../tickets/store/db.js';
import { getState, setState } from '../../tickets/store/state-repo.js';
import { B24ApiError } from './b24-errors.js';
import { oauthTransport, pinEndpoints, type B24Transport, type OAuthApp, type OAuthTokens, type TransportOptions } from './b24-transport.js';

const KEY = 'b24.oauth';
// The portal's id, pinned by the first verified install; it outlives an uninstall, so a
// later install must come from the same portal (issue 12).
const MEMBER_KEY = 'b24.oauth.member';

/** reference §1: the install payload's `auth` block (snake_case) as the SDK's OAuth params, endpoints from configuration. */
export function tokensFromInstall(auth: Record<string, string>, app: OAuthApp): OAuthTokens {
  const expiresIn = Number(auth.expires_in ?? 3600);
  return pinEndpoints({
    applicationToken: auth.application_token, userId: Number(auth.user_id ?? 0), memberId: auth.member_id,
    accessToken: auth.access_token, refreshToken: auth.refresh_token,
    expires: Number(auth.expires ?? Math.floor(Date.now() / 1000) + expiresIn), expiresIn,
    scope: auth.scope ?? '', domain: new URL(app.portalUrl).host, clientEndpoint: '', serverEndpoint: '',
    status: (auth.status ?? 'L') as OAuthTokens['status'],
  }, app);
}

/** The tokens of the current installation; null when not installed (never, or uninstalled). */
export const loadTokens = (db: Db) => getState<OAuthTokens>(db, KEY);
export const saveTokens = (db: Db, t: OAuthTokens) => setState(db, KEY, t);
/** ONAPPUNINSTALL: the tokens are dead anyway (reference: on-app-uninstall.md); the pinned member_id stays. */
export const forgetTokens = (db: Db) => setState(db, KEY, null);
export const loadPinnedMember = (db: Db) => getState<string>(db, MEMBER_KEY);
export const pinMember = (db: Db, memberId: string) => setState(db, MEMBER_KEY, memberId);

/**
 * An OAuth transport whose tokens live in the database. Every call reads them first: while
 * the application is not installed (or after ONAPPUNINSTALL) nothing leaves this process,
 * and tokens another process refreshed or a reinstall replaced are picked up at once.
 */
export function storedOAuthTransport(db: Db, app: OAuthApp, opts: TransportOptions): B24Transport {
  let inner: { transport: B24Transport; accessToken: string } | null = null;
  const get = async () => {
    const tokens = await loadTokens(db);
    if (!tokens) {
      inner = null;
      throw new B24ApiError('-', 'NO_AUTH_FOUND', 'the application is not installed', 401);
    }
    if (inner?.accessToken === tokens.accessToken) return inner.transport;
    const held = { accessToken: tokens.accessToken, transport: null as unknown as B24Transport };
    held.transport = oauthTransport(tokens, app, async (t) => {
      held.accessToken = t.accessToken;
      await saveTokens(db, t);
    }, opts);
    inner = held;
    return held.transport;
  };
  const notInstalled = (err: unknown) => ({ ok: false as const, error: err as B24ApiError });
  return {
    call: async (c) => {
      try {
        return await (await get()).call(c);
      } catch (err) {
        if (err instanceof B24ApiError) return notInstalled(err);
        inner = null;
        throw err;
      }
    },
    batch: async (cs) => {
      try {
        return await (await get()).batch(cs);
      } catch (err) {
        if (err instanceof B24ApiError) return cs.map(() => notInstalled(err));
        inner = null;
        throw err;
      }
    },
  };
}
