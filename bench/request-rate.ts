// How the Bitrix24 benchmarks (bench:b24, bench:nag) count what reached the sandbox portal.
import type { RequestLogEntry } from '../sandbox/index.js';

/** REST requests to the portal; the OAuth token endpoint is not REST and not rate-limited (reference §7). */
export function restRequests(log: RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((r) => r.method !== 'oauth.token');
}

/**
 * The most requests in any 10 s window, divided by 10: the portal's limit must hold over such
 * a window, not just on average, and a shorter one would show the burst it allows as a rate.
 */
export function maxRequestRate(requests: RequestLogEntry[], windowMs = 10_000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most / (windowMs / 1000);
}
