import { parsePhpQuery } from '../php-query.js';
import type { Params } from '../methods/method-registry.js';
import { RestError } from './rest-error.js';

export interface RequestParams {
  params: Params;
  /** An OAuth access token from `auth` in the body or the query. */
  auth: string | undefined;
}

/**
 * Method parameters from the query and the body (JSON or PHP-style form), the body winning.
 * `bx24_*` query parameters are the SDK's telemetry and are ignored (reference §8, §9).
 * REST 3.0 reads only a JSON body (api-reference/rest-v3.md).
 */
export function readRequestParams(rawQuery: string, body: string, contentType: string, version: 'v2' | 'v3'): RequestParams {
  const query = withoutTelemetry(parsePhpQuery(rawQuery));
  const fromBody = parseBody(body, contentType, version);
  const merged: Params = version === 'v3' ? { ...fromBody } : { ...query, ...fromBody };
  const authValue = merged.auth ?? query.auth;
  delete merged.auth;
  return { params: merged, auth: typeof authValue === 'string' && authValue ? authValue : undefined };
}

function withoutTelemetry(query: Params): Params {
  return Object.fromEntries(Object.entries(query).filter(([k]) => !k.startsWith('bx24_')));
}

function parseBody(body: string, contentType: string, version: 'v2' | 'v3'): Params {
  if (!body.trim()) return {};
  const isForm = contentType.includes('application/x-www-form-urlencoded');
  if (version === 'v3' && isForm) throw invalidJson();
  if (isForm) return parsePhpQuery(body);
  try {
    const value: unknown = JSON.parse(body);
    if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
    return typeof value === 'object' && value !== null ? (value as Params) : {};
  } catch {
    if (version === 'v3') throw invalidJson();
    if (contentType.includes('json')) throw new RestError(400, 'INVALID_REQUEST', 'Invalid JSON body');
    return parsePhpQuery(body);
  }
}

function invalidJson(): RestError {
  return new RestError(400, 'BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION', 'Тело запроса не является корректным JSON');
}
