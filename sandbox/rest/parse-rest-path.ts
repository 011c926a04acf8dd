export interface RestPath {
  version: 'v2' | 'v3';
  /** As written in the URL, without a `.json` suffix. */
  method: string;
  webhook: { userId: number; secret: string } | null;
}

/**
 * The paths real portals serve (reference §1, §9): `/rest/{uid}/{secret}/{m}[.json]` (webhook),
 * `/rest/{m}` and `/rest//{m}` (OAuth, `auth` in body or query), and the same under `/rest/api/`
 * for REST 3.0. The SDK builds `/rest//api/{m}` from an OAuth client endpoint (reference §8).
 */
export function parseRestPath(pathname: string): RestPath | null {
  if (!pathname.startsWith('/rest/')) return null;
  let segments: string[];
  try {
    segments = pathname.slice('/rest/'.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const version = segments[0] === 'api' ? 'v3' : 'v2';
  if (version === 'v3') segments = segments.slice(1);
  if (segments.length === 1) return { version, method: stripJson(segments[0]), webhook: null };
  if (segments.length === 3 && /^\d+$/.test(segments[0])) {
    return { version, method: stripJson(segments[2]), webhook: { userId: Number(segments[0]), secret: segments[1] } };
  }
  return null;
}

function stripJson(method: string): string {
  return method.replace(/\.json$/i, '');
}
