import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout. Anything that may hold a secret is redacted by key, and
 * URLs with credentials must go through `redactUrl` before they are logged.
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

export function redactUrl(s: string): string {
  try {
    const u = new URL(s);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
