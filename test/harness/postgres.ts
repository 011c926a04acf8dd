import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDebianPackages } from '../../main/ensure-debian-packages.js';
import { freePort, waitFor } from '../../main/free-port.js';

const PGBIN = '/usr/lib/postgresql/15/bin';

export interface LocalPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  url: string;
  stop(): Promise<void>;
  /** `pg_ctl stop -m immediate` (no checkpoint, as a crash or a power cut), then start again on the same port and data. */
  restartImmediate(): Promise<{ recovered: boolean }>;
}

/**
 * initdb into a temp folder and run postgres on loopback (as the `postgres` user when root).
 * With `keepDir`, the cluster lives there instead and survives stop(): a benchmark that seeds
 * a large database can run again on it without seeding again. `settings` are further `-c`
 * options (a benchmark sizes the server as production would).
 */
export async function startPostgres(opts: { keepDir?: string; settings?: Record<string, string> } = {}): Promise<LocalPostgres> {
  ensureDebianPackages([{ file: `${PGBIN}/postgres`, pkg: 'postgresql' }]);
  const dir = opts.keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'modest-pg-'));
  fs.mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args];
  const [initCmd, initArgs] = asPostgres(`${PGBIN}/initdb`,
    ['-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  if (!fs.existsSync(`${dir}/data/PG_VERSION`)) execFileSync(initCmd, initArgs, { cwd: '/tmp', stdio: 'ignore' });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const launch = async (): Promise<ChildProcess> => {
    const [cmd, args] = asPostgres(`${PGBIN}/postgres`, ['-D', `${dir}/data`, '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off', '-c', 'max_connections=300',
      ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`])]);
    const c: ChildProcess = spawn(cmd, args, { cwd: '/tmp', stdio: ['ignore', 'ignore', fs.openSync(`${dir}/pg.log`, 'a')] });
    await waitFor('postgres', async () => {
      const client = new pg.Client({ connectionString: url });
      try { await client.connect(); await client.query('select 1'); return true; } finally { await client.end().catch(() => {}); }
    });
    return c;
  };
  let child = await launch();
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => {
        if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
        resolve();
      });
      child.kill('SIGINT'); // fast shutdown
    }),
    restartImmediate: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      const [cmd, args] = asPostgres(`${PGBIN}/pg_ctl`, ['-D', `${dir}/data`, 'stop', '-m', 'immediate', '-w']);
      execFileSync(cmd, args, { cwd: '/tmp', stdio: 'ignore' });
      await gone;
      const logFile = `${dir}/pg.log`;
      const before = fs.statSync(logFile).size;
      child = await launch();
      // The server's own word that this was a crash: it replayed its WAL at start.
      return { recovered: fs.readFileSync(logFile).subarray(before).toString().includes('automatic recovery in progress') };
    },
  };
}

/** A fresh database on the shared server, for one test file; a copy of `template` (a database's URL) if given. */
export async function createDatabase(adminUrl: string, prefix = 't', template?: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`create database ${name}${template ? ` template ${new URL(template).pathname.slice(1)}` : ''}`);
  } finally { await c.end(); }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
