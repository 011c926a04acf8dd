import type { Db } from '../../tickets/store/db.js';
import { getState, setState } from '../../tickets/store/state-repo.js';
import { B24ApiError } from './b24-errors.js';
import { oauthTransport, type B24Transport, type OAuthTokens, type TransportOptions } from './b24-transport.js';

const KEY = 'b24.oauth';

/** reference §1: the install payload's `auth` block (snake_case) as the SDK's OAuth params. */
export function tokensFromInstall(auth: Record<string, string>): OAuthTokens {
  const expiresIn = Number(auth.expires_in ?? 3600);
  return {
    applicationToken: auth.application_token, userId: Number(auth.user_id ?? 0), memberId: auth.member_id,
    accessToken: auth.access_token, refreshToken: auth.refresh_token,
    expires: Number(auth.expires ?? Math.floor(Date.now() / 1000) + expiresIn), expiresIn,
    scope: auth.scope ?? '', domain: auth.domain, clientEndpoint: auth.client_endpoint ?? `https://${auth.domain}/rest/`,
    serverEndpoint: auth.server_endpoint ?? 'https://oauth.bitrix24.tech/rest/', status: (auth.status ?? 'L') as OAuthTokens['status'],
  };
}

export const loadTokens = (db: Db) => getState<OAuthTokens>(db, KEY);
export const saveTokens = (db: Db, t: OAuthTokens) => setState(db, KEY, t);

/**
 * An OAuth transport whose tokens live in the database: built on first use after the install
 * callback stored them, refreshed tokens saved at once. When a call fails on auth the
 * tokens are read again, as another process may have refreshed them meanwhile.
 */
export function storedOAuthTransport(db: Db, app: { clientId: string; clientSecret: string }, opts: TransportOptions): B24Transport {
  let inner: B24Transport | null = null;
  const get = async () => {
    if (inner) return inner;
    const tokens = await loadTokens(db);
    if (!tokens) throw new B24ApiError('-', 'NO_AUTH_FOUND', 'the application is not installed yet', 401);
    inner = oauthTransport(tokens, app, (t) => saveTokens(db, t), opts);
    return inner;
  };
  const watch = <T>(p: Promise<T>) => p.catch((err) => { inner = null; throw err; });
  return {
    call: async (c) => watch((await get()).call(c)),
    batch: async (cs) => watch((await get()).batch(cs)),
  };
}
