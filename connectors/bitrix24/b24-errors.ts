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
