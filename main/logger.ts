import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout. Anything that may hold a secret is redacted by key; URLs
 * with credentials (mailboxes, SMTP, webhooks) are never logged.
 */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'pass', '*.pass', 'auth', '*.auth', 'secret', '*.secret', 'token', '*.token'], censor: '[redacted]' },
  });
}

