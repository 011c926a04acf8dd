/**
 * The cabinet's errors, each with a stable code; http/send-error.ts maps the code to a status.
 * Messages are for logs and developers; the page shows its own text per code and language.
 */
export class PortalError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SignInRequiredError extends PortalError {
  constructor() { super('auth.required', 'sign in first'); }
}
export class BadCredentialsError extends PortalError {
  constructor() { super('auth.bad_credentials', 'wrong e-mail or password'); }
}
export class AccountLockedError extends PortalError {
  constructor(readonly until: Date) { super('auth.locked', `too many wrong passwords; locked until ${until.toISOString()}`); }
}
export class SignInRateLimitedError extends PortalError {
  constructor() { super('auth.rate_limited', 'too many failed sign-ins from this address; try again later'); }
}
export class CsrfError extends PortalError {
  constructor(reason: string) { super('auth.csrf', `request refused: ${reason}`); }
}
export class LinkInvalidError extends PortalError {
  constructor() { super('auth.link_invalid', 'this link is unknown, used or expired'); }
}
export class AccountExistsError extends PortalError {
  constructor(email: string) { super('account.exists', `${email} already has a cabinet account`); }
}
export class ClientNotFoundError extends PortalError {
  constructor(id: number) { super('client.not_found', `client ${id} not found`); }
}
export class ForbiddenError extends PortalError {
  constructor(what: string) { super('forbidden', `not allowed: ${what}`); }
}
/** Also for what exists but belongs to someone else: the answer must not tell the two apart. */
export class NotFoundError extends PortalError {
  constructor(what: string) { super('not_found', `${what} not found`); }
}
export class InvalidInputError extends PortalError {
  constructor(readonly issues: string[]) { super('invalid_input', issues.join('; ')); }
}
export class MailUnavailableError extends PortalError {
  constructor(cause: unknown) { super('mail.unavailable', `the mail could not be sent: ${(cause as Error)?.message ?? cause}`); }
}

export const HTTP_STATUS: Record<string, number> = {
  'auth.required': 401,
  'auth.bad_credentials': 401,
  'auth.locked': 429,
  'auth.rate_limited': 429,
  'auth.csrf': 403,
  'auth.link_invalid': 410,
  'account.exists': 409,
  'client.not_found': 404,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  'mail.unavailable': 503,
};
