// The operator commands' common ground (report-cli.ts, cabinet-cli.ts): strict arguments, and
// every failure as one line on stderr with a non-zero exit code: no stack, no raw database
// error. Input is checked before anything is opened, so a typo costs nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, type Config } from '../config/load-config.js';

/** The command line was wrong: what to fix, in one line. Exit code 2, as for any usage error. */
export class CliUsageError extends Error {
  readonly code = 'cli.usage';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** `--help` / `-h`: the usage goes to stdout and the command ends with exit code 0, having done nothing. */
class CliHelp extends Error {
  constructor(readonly usage: string) {
    super('help');
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node's parseArgs, strict (unknown flags and missing values are errors), its messages made
 * short. `--help` (or `-h`) anywhere prints `usage` instead.
 */
export function parseCli<O extends Options>(options: O, usage: string, args = process.argv.slice(2)) {
  if (args.includes('--help') || args.includes('-h')) throw new CliHelp(usage);
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const flag = /'(-[^' ]+)/.exec((err as Error).message)?.[1];
    const known = Object.keys(options).map((o) => `--${o}`).join(', ');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliUsageError(`unknown option ${flag ?? ''} (known: ${known})`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesNone = /does not take an argument/.test((err as Error).message);
      throw new CliUsageError(`option ${flag ?? ''} ${takesNone ? 'takes no value' : 'needs a value'}`);
    }
    throw new CliUsageError(firstLine((err as Error).message));
  }
}

/** A positive whole number such as a client or report id; anything else is a usage error naming the option. */
export function positiveId(option: string, value: string | undefined): number {
  if (value === undefined) throw new CliUsageError(`--${option} is required`);
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new CliUsageError(`--${option} must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** An IANA time zone such as Europe/Moscow. */
export function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    throw new CliUsageError(`unknown time zone ${JSON.stringify(value)} (use an IANA name such as Europe/Moscow)`);
  }
}

/** A file to write: its folder must exist already (we do not create folders an operator mistyped). */
export function outputFile(value: string): string {
  const folder = path.dirname(path.resolve(value));
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new CliUsageError(`folder ${folder} does not exist`);
  if (fs.existsSync(value) && fs.statSync(value).isDirectory()) throw new CliUsageError(`${value} is a folder; give a file name`);
  return value;
}

/**
 * The database the command works on must exist already: with no DATABASE_URL that is the
 * embedded one in DATA_DIR, and a mistyped DATA_DIR would otherwise get a new, empty database
 * (and an operator an empty summary, or "client not found", for a real client).
 */
export function existingDatabase(config: Config): Config['database'] {
  const d = config.database;
  if (!d.url && !fs.existsSync(d.pgliteDir)) {
    throw new ConfigError([`DATA_DIR: no database at ${d.pgliteDir}; point DATA_DIR at the service's data folder, or set DATABASE_URL`]);
  }
  return d;
}

const firstLine = (s: string) => s.split('\n').map((l) => l.trim()).find(Boolean) ?? 'failed';

const SYSTEM_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ETIMEDOUT: 'timed out', ECONNRESET: 'connection reset',
  ENOENT: 'no such file or folder', EACCES: 'permission denied', EISDIR: 'is a folder', ENOSPC: 'no space left on the disk',
};

/** What a database's refusal means to an operator, by SQLSTATE (its class, the first two characters, as the fallback). */
const SQLSTATES: Record<string, string> = {
  '28': 'the database refused the login: check the user and password in DATABASE_URL',
  '3D000': 'the database named in DATABASE_URL does not exist',
  '57P03': 'the database is starting or stopping; try again in a moment',
  '53': 'the database is out of resources (connections, memory or disk)',
};

/**
 * The one line an operator reads. Our own errors (typed, with a code) say what happened in
 * our words; a database error shows its SQLSTATE, not the server's text; system errors name
 * what failed and where.
 */
export function cliErrorLine(err: unknown): string {
  if (!(err instanceof Error)) return `error: ${String(err)}`;
  const e = err as Error & { code?: unknown; severity?: unknown; address?: string; port?: number; path?: string };
  if (err instanceof CliUsageError) return err.message;
  if (err instanceof ConfigError) return `invalid settings: ${err.problems.join('; ')}`;
  if (typeof e.severity === 'string' && typeof e.code === 'string') {
    const meaning = SQLSTATES[e.code] ?? SQLSTATES[e.code.slice(0, 2)] ?? 'the database refused the command';
    return `${meaning} (SQLSTATE ${e.code}); nothing more was done`;
  }
  if (typeof e.code === 'string' && SYSTEM_ERRORS[e.code]) {
    const where = e.address ? ` (${e.address}${e.port ? `:${e.port}` : ''})` : e.path ? ` (${e.path})` : '';
    return `${SYSTEM_ERRORS[e.code]}${where}`;
  }
  if (typeof e.code === 'string' && /^[a-z_]+\.[a-z_]+$/.test(e.code)) return `${e.code}: ${firstLine(err.message)}`;
  return firstLine(err.message);
}

/** Runs a command; any failure becomes one line on stderr and exit code 1 (2 for usage). */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof CliHelp) {
      process.stdout.write(`${err.usage.trim()}\n`);
      return;
    }
    process.stderr.write(`${cliErrorLine(err)}\n`);
    process.exitCode = err instanceof CliUsageError ? 2 : 1;
  }
}
