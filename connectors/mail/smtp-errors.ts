/**
 * The relay answered and refused this mail (its recipient at RCPT TO, or its content at DATA).
 * `permanent` (a 5xx reply, or an address that cannot be written in SMTP at all): sending it
 * again will fail again. A 4xx is the relay's "not now" for this mail only.
 */
export class SmtpRefusedError extends Error {
  constructor(readonly command: string, readonly responseCode: number | null, readonly response: string,
    readonly permanent: boolean, readonly recipients: string[]) {
    super(`SMTP ${command} refused${responseCode ? ` (${responseCode})` : ''}: ${response}`);
    this.name = 'SmtpRefusedError';
  }
}

/** The relay could not be reached or refused us as a whole (connection, TLS, login, sender): no mail can go now. */
export class SmtpUnreachableError extends Error {
  constructor(readonly cause: unknown) {
    super(`SMTP unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SmtpUnreachableError';
  }
}

interface NodemailerError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  rejected?: string[];
  message?: string;
}

/**
 * Sorts a nodemailer failure. Only replies to this mail's own RCPT TO or DATA are about the
 * mail; a 421 is the relay closing the connection, so about every mail, like a refused
 * login or sender.
 */
export function toSmtpError(err: unknown, recipients: string[]): Error {
  const e = (err ?? {}) as NodemailerError;
  // nodemailer checks the envelope itself ("Invalid recipient"): no relay would take it either.
  if (e.code === 'EENVELOPE' && e.command === 'API' && /recipient/i.test(e.message ?? '')) {
    return new SmtpRefusedError('API', null, e.message ?? 'invalid recipient', true, recipients);
  }
  const aboutThisMail = (e.command === 'RCPT TO' || e.command === 'DATA') && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
  if (aboutThisMail && e.responseCode && e.responseCode !== 421) {
    return new SmtpRefusedError(e.command!, e.responseCode, (e.response ?? '').trim(), e.responseCode >= 500, e.rejected ?? recipients);
  }
  return new SmtpUnreachableError(err);
}
