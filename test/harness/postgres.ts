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
}

/** initdb into a temp folder and run postgres on loopback (as the `postgres` user when root). */
export async function startPostgres(): Promise<LocalPostgres> {
  ensureDebianPackages([{ file: `${PGBIN}/postgres`, pkg: 'postgresql' }]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args];
  const [initCmd, initArgs] = asPostgres(`${PGBIN}/initdb`,
    ['-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  execFileSync(initCmd, initArgs, { cwd: '/tmp', stdio: 'ignore' });
  const port = await freePort();
  const [cmd, args] = asPostgres(`${PGBIN}/postgres`, ['-D', `${dir}/data`, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off', '-c', 'max_connections=300']);
  const child: ChildProcess = spawn(cmd, args, { cwd: '/tmp', stdio: ['ignore', 'ignore', fs.openSync(`${dir}/pg.log`, 'a')] });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('postgres', async () => {
    const c = new pg.Client({ connectionString: url });
    try { await c.connect(); await c.query('select 1'); return true; } finally { await c.end().catch(() => {}); }
  });
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10 }); resolve(); });
      child.kill('SIGINT'); // fast shutdown
    }),
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
