/** "The portal said no": an error code with its documented HTTP status (reference §7). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly validation?: Array<{ message: string; field: string }>,
  ) {
    super(`${code}: ${description}`);
  }
}

export const restErrors = {
  methodNotFound: () => new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  noAuth: () => new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  expiredToken: () => new RestError(401, 'expired_token', 'The access token provided has expired.'),
  insufficientScope: () =>
    new RestError(403, 'insufficient_scope', 'The request requires higher privileges than provided by the webhook token'),
  // UNCONFIRMED by the docs; the code real portals send for app-context methods called by a webhook.
  wrongAuthType: () => new RestError(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method'),
  queryLimit: () => new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  internal: () => new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
  accessDenied: (description = 'Access denied') => new RestError(403, 'ACCESS_DENIED', description),
  invalidArg: (code: string, description: string) => new RestError(400, code, description),
};

// REST 3.0 names common failures differently (api-reference/rest-v3.md).
const v3Codes: Record<string, string> = {
  insufficient_scope: 'BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION',
  ACCESS_DENIED: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
};

export function v2ErrorBody(err: RestError): Record<string, unknown> {
  return { error: err.code, error_description: err.description };
}

export function v3ErrorBody(err: RestError): Record<string, unknown> {
  const error: Record<string, unknown> = { code: v3Codes[err.code] ?? err.code, message: err.description };
  if (err.validation) error.validation = err.validation;
  return { error };
}

export function v3Validation(field: string, message: string): RestError {
  return new RestError(400, 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION',
    'Ошибка при валидации объекта запроса', [{ message, field }]);
}
