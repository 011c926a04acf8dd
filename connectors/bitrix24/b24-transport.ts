import https from 'node:https';
import axios from 'axios';
import { AjaxError, ApiVersion, B24Hook, B24OAuth, type AjaxResult, type B24OAuthParams, type TypeB24 } from '@bitrix24/b24jssdk';
import { B24ApiError, B24UnreachableError, isConnectionFailure } from './b24-errors.js';

export type B24Params = Record<string, unknown>;

export interface B24Call {
  method: string;
  params: B24Params;
}

export type B24Outcome =
  | { ok: true; result: unknown; total?: number; next?: number }
  | { ok: false; error: B24ApiError };

/** One HTTP request to the portal: a single method, or a `batch` of up to 50. */
export interface B24Transport {
  /** API errors come back as `ok: false`; an unreachable portal throws B24UnreachableError. */
  call(c: B24Call): Promise<B24Outcome>;
  batch(calls: B24Call[]): Promise<B24Outcome[]>;
}

export type OAuthTokens = B24OAuthParams;

export interface TransportOptions {
  /** Extra CA certificate to trust (the sandbox's self-signed one). */
  caPem?: string;
}

// Pacing and retries are ours (one bucket shared by all processes, durable jobs): the SDK
// makes one attempt, and its per-instance limiter and adaptive pauses stay out of the way
// (after a run of 5xx they would hold every later call of this process).
const ONE_ATTEMPT = {
  maxRetries: 1,
  retryOnNetworkError: false,
  rateLimit: { burstLimit: 100_000, drainRate: 100_000, adaptiveEnabled: false },
  adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
};

export function webhookTransport(url: string, opts: TransportOptions = {}): B24Transport {
  const b24 = B24Hook.fromWebhookUrl(url, { restrictionParams: ONE_ATTEMPT });
  b24.offClientSideWarning();
  return sdkTransport(b24, opts);
}

/** Our application as the portal knows it, and the two addresses we trust (configuration only). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** `https://{portal}`: where every call goes. */
  portalUrl: string;
  /** The authorization server, `https://oauth.bitrix24.tech/` by default: the only place our secret goes. */
  oauthServerUrl: string;
}

/** The stored tokens with both endpoints taken from configuration, whatever the portal or a request said. */
export function pinEndpoints(tokens: OAuthTokens, app: OAuthApp): OAuthTokens {
  return { ...tokens, clientEndpoint: `${app.portalUrl}/rest/`, serverEndpoint: new URL('rest/', app.oauthServerUrl).toString() };
}

export function oauthTransport(tokens: OAuthTokens, app: OAuthApp,
  onRefresh: (tokens: OAuthTokens) => Promise<void>, opts: TransportOptions = {}): B24Transport {
  const b24 = new B24OAuth(pinEndpoints(tokens, app), { clientId: app.clientId, clientSecret: app.clientSecret }, { restrictionParams: ONE_ATTEMPT });
  let refreshToken = tokens.refreshToken;
  // reference §1: refresh on 401 expired_token (the SDK does it once per failing call) at the
  // configured authorization server, never at a server_endpoint someone handed us: that
  // request carries our client_secret. Our own request, so it uses our TLS settings.
  const agent = opts.caPem ? new https.Agent({ ca: opts.caPem }) : undefined;
  b24.setCustomRefreshAuth(async () => {
    const { data } = await axios.post(new URL('oauth/token/', app.oauthServerUrl).toString(), new URLSearchParams({
      grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken,
    }), { httpsAgent: agent, timeout: 30_000, maxRedirects: 0 });
    if (data.error) throw new B24ApiError('oauth.token', String(data.error), String(data.error_description ?? ''), 401);
    return { ...data, client_endpoint: `${app.portalUrl}/rest/`, server_endpoint: new URL('rest/', app.oauthServerUrl).toString() };
  });
  // Persist the new pair at once: the old refresh token is dead after use.
  b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
    refreshToken = b24OAuthParams.refreshToken;
    await onRefresh(pinEndpoints(b24OAuthParams, app));
  });
  return sdkTransport(b24, opts);
}

function sdkTransport(b24: TypeB24, opts: TransportOptions): B24Transport {
  if (opts.caPem) {
    const agent = new https.Agent({ ca: opts.caPem, keepAlive: true });
    for (const v of [ApiVersion.v2, ApiVersion.v3]) b24.getHttpClient(v).ajaxClient.defaults.httpsAgent = agent;
  }
  return {
    async call(c) {
      try {
        const r = await b24.actions.v2.call.make({ method: c.method, params: c.params });
        return toOutcome(c, r);
      } catch (err) {
        return fromThrown(c.method, err);
      }
    },
    async batch(calls) {
      try {
        const r = await b24.actions.v2.batch.make({
          calls: calls.map((c) => [c.method, c.params] as [string, B24Params]),
          options: { isHaltOnError: false, returnAjaxResult: true },
        });
        const rows = r.getData() as AjaxResult[] | null;
        if (!rows) {
          // One outcome per call, like below (a bare outcome here once made every call's undefined).
          const [first] = r.getErrors();
          const failed = fromThrown('batch', first ?? new AjaxError({ code: 'ERROR_UNEXPECTED_ANSWER', description: 'empty batch answer', status: 0 }));
          return calls.map(() => failed);
        }
        return calls.map((c, i) => toOutcome(c, rows[i]));
      } catch (err) {
        const failed = fromThrown('batch', err);
        return calls.map(() => failed);
      }
    },
  };
}

function toOutcome(c: B24Call, r: AjaxResult | undefined): B24Outcome {
  if (!r) return { ok: false, error: new B24ApiError(c.method, 'ERROR_UNEXPECTED_ANSWER', 'no result for this call', null) };
  if (!r.isSuccess) {
    const [e] = r.getErrors();
    return fromThrown(c.method, e) as B24Outcome;
  }
  const { result } = r.getData()!;
  // The SDK keeps `total` and `next` to itself, and inside a batch reports "more" for every
  // sub-call. `next` is the following page's `start` (reference §7: 50 a page): there is one
  // only while this page has rows and, where `total` is known, rows remain.
  const page = Array.isArray(result) ? result.length : 0;
  const total = r.getTotal();
  const following = Number(c.params.start ?? 0) + page;
  const next = r.isMore() && page > 0 && (!total || following < total) ? following : undefined;
  return { ok: true, result, total, next };
}

/**
 * An answer from the portal is its "no"; anything else (a reset, a timeout, a refused or
 * broken connection, TLS) is unreachable and retried: the portal may or may not have acted,
 * which the call's idempotency key settles on the retry.
 */
function fromThrown(method: string, err: unknown): B24Outcome {
  if (err instanceof AjaxError && !isConnectionFailure(err)) {
    return { ok: false, error: new B24ApiError(method, err.code, err.message, err.status || null) };
  }
  throw new B24UnreachableError(method, err);
}
