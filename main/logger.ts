import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

/** json: one JSON object per line (for machines); pretty: readable lines; auto: pretty on a terminal, JSON otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** Whether `format` means readable lines here: `auto` asks whether stdout is a terminal (a person watching). */
export function isPrettyLog(format: LogFormat, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTty);
}

/**
 * Logs on stdout: JSON lines, or, for a person at a terminal, one readable line per entry
 * (time, level, message, then the fields). Anything that may hold a secret is redacted by key
 * in both; URLs with credentials (mailboxes, SMTP, webhooks) are never logged.
 */
export function createLogger(level: string, name: string, format: LogFormat = 'json'): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'pass', '*.pass', 'auth', '*.auth', 'secret', '*.secret', 'token', '*.token'], censor: '[redacted]' },
  };
  if (!isPrettyLog(format)) return pino(options);
  // In-process and synchronous (no transport thread): lines appear in order with what the demo prints itself.
  // Colours only when the terminal shows them (pino-pretty's default).
  return pino(options, pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' }));
}
