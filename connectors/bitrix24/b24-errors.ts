/** The portal answered and said no: carries the method, Bitrix24's error code and its text. */
export class B24ApiError extends Error {
  constructor(readonly method: string, readonly code: string, readonly description: string, readonly status: number | null) {
    super(`${method}: ${code}${description ? ` (${description})` : ''}`);
    this.name = 'B24ApiError';
  }
}

/** The portal could not be reached (network, timeout, TLS, an answer that is not Bitrix24's). */
export class B24UnreachableError extends Error {
  constructor(readonly method: string, readonly cause: unknown) {
    super(`${method}: portal unreachable (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'B24UnreachableError';
  }
}

// reference §7: rate limit (503), operating-time budget (429), overload and server faults.
const TRANSIENT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT', 'OVERLOAD_LIMIT', 'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER']);

/** Worth trying again later: the portal was busy or broken, not the request. */
export function isTransient(err: unknown): boolean {
  if (err instanceof B24UnreachableError) return true;
  if (err instanceof B24ApiError) return TRANSIENT_CODES.has(err.code) || (err.status !== null && err.status >= 500);
  return false;
}

// Node's codes for a connection that broke or never formed: the portal did not answer, so it
// did not say no. (TLS resets surface as ECONNRESET/EPROTO; the SDK wraps them in an AjaxError
// whose code is axios's copy of the socket's, or NETWORK_ERROR / REQUEST_TIMEOUT.)
const CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNABORTED', 'ENOTFOUND',
  'ENETUNREACH', 'EHOSTUNREACH', 'EPROTO', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'NETWORK_ERROR', 'REQUEST_TIMEOUT']);

/**
 * Whether `err` (or what it wraps: `originalError`, `cause`) is a lost or failed connection
 * rather than an answer: a known socket code, or an HTTP client error that carries no response.
 * Branches on codes and structure only, never on message text.
 */
export function isConnectionFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const o = e as { code?: unknown; isAxiosError?: unknown; response?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && CONNECTION_CODES.has(o.code)) return true;
    if (o.isAxiosError === true) return !o.response;
    e = o.originalError ?? o.cause;
  }
  return false;
}
