import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { freePort } from '../../main/free-port.js';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { createDatabase } from '../harness/postgres.js';
import { makeClient, makeTicket } from '../reports/factories.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-cli-'));

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs an operator command as the operator would (`npm run report -- …` is this same node invocation). */
function cli(entry: 'report-cli' | 'cabinet-cli', args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', `main/${entry}.ts`, ...args], {
    cwd: root, env: { PATH: process.env.PATH, DATA_DIR: path.join(tmp, 'data'), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The contract every failing command keeps: one line on stderr, nothing on stdout, exit code not 0, no stack. */
function expectOneLine(r: Run, line: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Error:|SELECT|select |relation|syntax/);
}

const cabinetEnv = { SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'Support <support@modest.example>' };
let dbUrl: string;
let db: Db;
beforeAll(async () => {
  dbUrl = await createDatabase(process.env.TEST_DATABASE_URL!);
  db = await openDb({ databaseUrl: dbUrl, pgliteDir: path.join(tmp, 'unused') });
  await migrate(db);
});
afterAll(async () => { await db.close(); });

describe('report CLI', () => {
  test.each([
    ['a non-numeric id', ['preview', '--client', 'abc', '--month', '2026-10', '--out', path.join(tmp, 'r.pdf')],
      /^--client must be a positive whole number, got "abc"$/],
    ['a non-numeric report id', ['approve', '--month', '2026-10', '--report', '17x'], /^--report must be a positive whole number, got "17x"$/],
    ['an unknown flag', ['summary', '--month', '2026-10', '--colour'], /^unknown option --colour \(known: --client, --month, .*--force\)$/],
    ['a flag without its value', ['summary', '--month'], /^option --month needs a value$/],
    ['an unknown time zone', ['summary', '--month', '2026-10', '--zone', 'Mars/Olympus'], /^unknown time zone "Mars\/Olympus" \(use an IANA name such as Europe\/Moscow\)$/],
    ['a folder that does not exist', ['preview', '--client', '1', '--month', '2026-10', '--out', path.join(tmp, 'no', 'such', 'r.pdf')],
      new RegExp(`^folder ${path.join(tmp, 'no', 'such')} does not exist$`)],
    ['a malformed month', ['summary', '--month', '2026-13'], /^--month must look like 2026-10, got "2026-13"$/],
    ['an unknown command', ['frobnicate', '--month', '2026-10'], /^unknown command "frobnicate": use preview \| rerun \| summary \| approve \| publish$/],
  ])('%s is one clear line', async (_what, args, line) => {
    const r = await cli('report-cli', args);
    expectOneLine(r, line);
    expect(r.code).toBe(2);
  }, 180_000);

  test('an unreachable database is one line naming the address, not the driver\'s error', async () => {
    const port = await freePort();
    const r = await cli('report-cli', ['summary', '--month', '2026-10'], { DATABASE_URL: `postgres://modest@127.0.0.1:${port}/modest` });
    expectOneLine(r, new RegExp(`^connection refused \\(127\\.0\\.0\\.1:${port}\\)$`));
  }, 180_000);

  test('a data folder with no database in it is one line, and no empty database is made there', async () => {
    const dataDir = path.join(tmp, 'mistyped-data');
    const r = await cli('report-cli', ['summary', '--month', '2026-10'], { DATA_DIR: dataDir });
    expectOneLine(r, new RegExp(`^invalid settings: DATA_DIR: no database at ${path.join(dataDir, 'pglite')}; point DATA_DIR at `));
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 180_000);

  test('a database that refuses the login, or does not exist, is one line saying which, not the server\'s text', async () => {
    const url = new URL(dbUrl);
    const noRole = Object.assign(new URL(dbUrl), { username: 'nosuchrole', password: '' }).href;
    expectOneLine(await cli('report-cli', ['summary', '--month', '2026-10'], { DATABASE_URL: noRole }),
      /^the database refused the login: check the user and password in DATABASE_URL \(SQLSTATE 28\w{3}\); nothing more was done$/);
    url.pathname = '/no_such_database';
    expectOneLine(await cli('report-cli', ['summary', '--month', '2026-10'], { DATABASE_URL: url.href }),
      /^the database named in DATABASE_URL does not exist \(SQLSTATE 3D000\); nothing more was done$/);
  }, 180_000);

  test('--help prints what the command takes, and exits 0 having done nothing', async () => {
    const r = await cli('report-cli', ['rerun', '--help']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^npm run report -- preview --client 42 --month 2026-10 --out report\.pdf/) });
    expect(r.stdout).toContain('--force');
  }, 180_000);

  test('an id that names no client is one line with its code', async () => {
    const r = await cli('report-cli', ['preview', '--client', '987654', '--month', '2026-10', '--out', path.join(tmp, 'r.pdf')], { DATABASE_URL: dbUrl });
    expectOneLine(r, /^report\.client_not_found: client 987654 not found$/);
    expect(fs.existsSync(path.join(tmp, 'r.pdf'))).toBe(false);
  }, 180_000);

  test('a report for the month in progress is refused without --force, and drafted with it', async () => {
    const month = DateTime.now().setZone('Europe/Moscow').toFormat('yyyy-MM');
    const client = await makeClient(db, 'ООО «Текущий месяц»');
    await makeTicket(db, { clientId: client, createdAt: DateTime.now().minus({ minutes: 5 }).toISO()!,
      closedAt: DateTime.now().minus({ minutes: 1 }).toISO()!, entries: [{ minutes: 80 }] });
    const out = path.join(tmp, 'now.pdf');
    const env = { DATABASE_URL: dbUrl };

    const refused = await cli('report-cli', ['preview', '--client', String(client), '--month', month, '--out', out], env);
    expectOneLine(refused, new RegExp(`^report\\.month_not_over: ${month} is not over yet \\(it ends \\d{4}-\\d\\d-01 00:00 Europe/Moscow\\); add --force`));
    expect(fs.existsSync(out)).toBe(false);
    expectOneLine(await cli('report-cli', ['rerun', '--month', month], env), /^report\.month_not_over: /);
    expect(await db.query('select id from reports where client_id = $1', [client])).toEqual([]);

    const forced = await cli('report-cli', ['preview', '--client', String(client), '--month', month, '--out', out, '--force'], env);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(/\u00a0/g, ' ');
    expect(text).toContain('ООО «Текущий месяц»');
    expect(text).toContain('1 ч 20 мин');
    const rerun = await cli('report-cli', ['rerun', '--month', month, '--force'], env);
    expect(rerun.code).toBe(0);
    expect(await db.query('select version from reports where client_id = $1', [client])).toEqual([{ version: 1 }]);
  }, 600_000);
});

describe('cabinet CLI', () => {
  test.each([
    ['a non-numeric id', ['invite', '--client', 'x1', '--email', 'boss@acme.example'], /^--client must be a positive whole number, got "x1"$/],
    ['an unknown flag', ['invite', '--client', '1', '--email', 'boss@acme.example', '--admin'], /^unknown option --admin \(known: --client, --email, --role, --name, --by\)$/],
    ['a bad address', ['invite', '--client', '1', '--email', 'boss-at-acme'], /^--email: /],
    ['an unknown role', ['invite', '--client', '1', '--email', 'boss@acme.example', '--role', 'boss'], /^--role: must be director or employee$/],
    ['no command', ['--client', '1'], /^no command; usage: npm run cabinet -- invite /],
  ])('%s is one clear line', async (_what, args, line) => {
    const r = await cli('cabinet-cli', args, cabinetEnv);
    expectOneLine(r, line);
    expect(r.code).toBe(2);
  }, 180_000);

  test('--help prints the usage; a data folder with no database is one line', async () => {
    expect(await cli('cabinet-cli', ['-h'])).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^npm run cabinet -- invite --client <id> /) });
    const dataDir = path.join(tmp, 'no-such-data');
    expectOneLine(await cli('cabinet-cli', ['invite', '--client', '1', '--email', 'boss@acme.example'], { ...cabinetEnv, DATA_DIR: dataDir }),
      /^invalid settings: DATA_DIR: no database at /);
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 180_000);

  test('an unreachable database and an unknown client are one line each', async () => {
    const port = await freePort();
    const args = ['invite', '--client', '987654', '--email', 'boss@acme.example'];
    expectOneLine(await cli('cabinet-cli', args, { ...cabinetEnv, DATABASE_URL: `postgres://modest@127.0.0.1:${port}/modest` }),
      new RegExp(`^connection refused \\(127\\.0\\.0\\.1:${port}\\)$`));
    expectOneLine(await cli('cabinet-cli', args, { ...cabinetEnv, DATABASE_URL: dbUrl }), /^client\.not_found: client 987654 not found$/);
  }, 300_000);
});
