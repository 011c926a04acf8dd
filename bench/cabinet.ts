// Client cabinet benchmark: npm run bench:cabinet [-- --tickets N] [--clients N] [--largest N] [--concurrency N] [--rounds N]
//   [--keep-db DIR] [--think-ms N]
//
// Seeds a fresh PostgreSQL database in SQL (default 1,000,000 tickets across 6,000 clients,
// the largest with 50,000; one client mail each, words from a 2,000-word vocabulary), runs the
// real web process (main/web.ts) on it, signs in `concurrency` people (default 50: directors,
// a fifth of them of the largest client, and some employees), and has them all at once make
// `rounds` (default 20) requests each of: the ticket list with a filter and a sort, a search by
// number, a search by words, a ticket's detail. Times are taken at the HTTP edge.
// Progress and the breakdown go to stderr; the last stdout line is
// {"tickets", "clients", "list_p95_ms", "search_p95_ms", "detail_p95_ms", "concurrency", "ceiling_list_p95_ms"}
// (search: by number and by words together). The ceiling: the same people at the same pace
// against a bare script's list request (bench/cabinet-ceiling-server.ts) on the same database,
// the best this machine gives; stderr also has the CPU each request cost, per process.
// --think-ms N: each person reads an answer for a random 0..2N ms before the next request
// (default 0: the next request goes the moment the answer is read, 50 always in flight).
// --keep-db DIR keeps the PostgreSQL cluster in DIR: the first run seeds it, later runs with
// the same sizes reuse it (new migrations are applied), so a run takes minutes, not the seed's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { freePort } from '../main/free-port.js';
import { startLocalRedis } from '../main/local-redis.js';
import { hashPassword } from '../portal/accounts/hash-password.js';
import { ensurePortalBuild } from '../portal/build-portal.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { makeCleanups, round, runBench } from './bench-result.js';
import { seedCabinet } from './cabinet-seed.js';
import { CabinetSession, percentile, runLoad, runSame, type Person } from './cabinet-load.js';
import { spawnEntry, stopEntry, waitReady } from './spawn-entry.js';
import { cpuBetween, snapshotCpu } from './sample-cpu.js';

const log = (msg: string) => process.stderr.write(`[bench:cabinet] ${msg}\n`);
const cleanups = makeCleanups(log);
const PASSWORD = 'bench cabinet password';

function readOptions() {
  const { values } = parseArgs({ options: {
    tickets: { type: 'string', default: '1000000' }, clients: { type: 'string', default: '6000' }, largest: { type: 'string', default: '50000' },
    concurrency: { type: 'string', default: '50' }, rounds: { type: 'string', default: '20' }, 'keep-db': { type: 'string' },
    'think-ms': { type: 'string', default: '0' },
  } });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const o = {
    tickets: int('tickets', values.tickets, 100), clients: int('clients', values.clients, 2), largest: int('largest', values.largest, 1),
    concurrency: int('concurrency', values.concurrency, 1), rounds: int('rounds', values.rounds, 1),
    keepDb: values['keep-db'] ? path.resolve(values['keep-db']) : null, thinkMs: int('think-ms', values['think-ms'], 0),
  };
  if (o.largest >= o.tickets) throw new Error('--largest must be smaller than --tickets');
  return o;
}

/** Who signs in: a fifth directors of the largest client, a tenth employees, the rest directors of clients spread over the range. */
async function people(db: Db, clients: number, n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = i < Math.ceil(n / 5) ? 1 : 2 + Math.floor(((i * 7919) % 1_000_003) % (clients - 1));
    const employee = i % 10 === 9;
    const email = `${employee ? 'user0' : 'director'}@c${clientId}.example`;
    const numbers = (await db.query<{ number: string }>(`select number from tickets where client_id = $1 ${employee ? 'and requester_email = $2' : ''}
      order by random() limit 50`, employee ? [clientId, email] : [clientId])).map((r) => Number(r.number));
    out.push({ email, clientId, employee, numbers });
  }
  return out;
}

type Options = ReturnType<typeof readOptions>;

/**
 * The seeded database: a fresh one, or with --keep-db the kept one when it was seeded with
 * the same sizes (its marker file says so; it is written only after a seed completed).
 */
async function seededDatabase(o: Options, adminUrl: string): Promise<{ databaseUrl: string; db: Db }> {
  const marker = o.keepDb ? path.join(o.keepDb, 'cabinet-seed.json') : null;
  const sizes = JSON.stringify({ tickets: o.tickets, clients: o.clients, largest: o.largest });
  const reuse = marker !== null && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === sizes;
  let databaseUrl: string;
  if (marker) {
    const u = new URL(adminUrl);
    u.pathname = '/cabinet_bench';
    databaseUrl = u.toString();
    if (!reuse) {
      fs.rmSync(marker, { force: true });
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query('drop database if exists cabinet_bench');
        await admin.query('create database cabinet_bench');
      } finally { await admin.end(); }
    }
  } else databaseUrl = await createDatabase(adminUrl, 'cabinet');
  const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 4 });
  cleanups.add(() => db.close());
  const t = performance.now();
  await migrate(db);
  if (reuse) {
    await db.query('analyze');
    log(`reusing the database seeded in ${o.keepDb} (migrated in ${round((performance.now() - t) / 1000, 1)} s)`);
    return { databaseUrl, db };
  }
  await seedCabinet(db, o, await hashPassword(PASSWORD), log);
  log(`seeded ${o.tickets} tickets across ${o.clients} clients in ${round((performance.now() - t) / 1000, 1)} s`);
  if (marker) fs.writeFileSync(marker, sizes);
  return { databaseUrl, db };
}

/** Where the CPU went, per request: the web process, PostgreSQL, this load generator, and the rest of the machine. */
function logCpu(c: ReturnType<typeof cpuBetween>, requests: number): void {
  const perRequest = (s: number) => `${round((1000 * s) / requests, 2)} ms`;
  const groups = Object.entries(c.groups).filter(([, s]) => s > 0).map(([name, s]) => `${name} ${perRequest(s)}`);
  log(`CPU per request: ${groups.join(', ')}; other processes ${perRequest(c.others)}; machine busy ${round((100 * c.machineBusy) / (c.wall * os.availableParallelism()))}%`);
}

/**
 * The same people and pace against bench/cabinet-ceiling-server.ts, a bare script's list
 * request: what this machine gives at best, to read the cabinet's figures against.
 */
async function measureCeiling(sessions: CabinetSession[], databaseUrl: string, o: Options): Promise<number> {
  const port = await freePort();
  const bare = spawnEntry('ceiling', 'bench/cabinet-ceiling-server.ts', { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20', HTTP_PORT: String(port) });
  cleanups.add(() => stopEntry(bare));
  await waitReady(bare, port, 60_000);
  const moved = sessions.map((s) => s.at(`http://127.0.0.1:${port}`));
  await runSame(moved, '/api/tickets', 2, o.thinkMs);
  const cpu0 = snapshotCpu();
  const times = await runSame(moved, '/api/tickets', 4 * o.rounds, o.thinkMs);
  logCpu(cpuBetween(cpu0, snapshotCpu(), new Map([[bare.child.pid!, 'bare script']])), times.length);
  const p95 = round(percentile(times, 0.95), 1);
  log(`ceiling (a bare script's list request): n=${times.length} p50=${round(percentile(times, 0.5), 1)} p95=${p95} ms`);
  await stopEntry(bare);
  return p95;
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  process.once('SIGINT', () => { log('interrupted'); void cleanups.run().finally(() => process.exit(130)); });
  log(`${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => round(l, 1)).join(' ')}: a shared machine, figures are what it gave now`);
  const [redis, postgres] = await Promise.all([startLocalRedis(cleanups.tempDir('modest-bench-redis-')),
    // Shared buffers as a production server of this size would have them (a quarter of the
    // memory is the usual advice; the default 128 MB holds less than the tickets table).
    startPostgres({ ...(o.keepDb ? { keepDir: o.keepDb } : {}), settings: { shared_buffers: '1GB' } })]);
  cleanups.add(() => redis.stop(), () => postgres.stop());
  const { databaseUrl, db } = await seededDatabase(o, postgres.url);
  let t: number;

  // Built before the port is chosen: a build takes minutes on a busy machine, and another process may take a port meanwhile.
  await ensurePortalBuild(log);
  const port = await freePort();
  const web = spawnEntry('web', 'main/web.ts', {
    DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20', REDIS_URL: redis.url, QUEUE_PREFIX: 'benchcab', DATA_DIR: cleanups.tempDir('modest-bench-web-'),
    HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: 'Modest Support <support@modest.example>', CABINET_IP_MAX_FAILURES: '1000',
  });
  cleanups.add(() => stopEntry(web));
  await waitReady(web, port, 300_000);
  const base = `http://127.0.0.1:${port}`;
  const sessions = (await people(db, o.clients, o.concurrency)).map((p) => new CabinetSession(base, p));
  for (const s of sessions) await s.signIn(PASSWORD);
  log(`${sessions.length} people signed in; warming up`);
  await runLoad(sessions, 2, o.thinkMs);
  t = performance.now();
  const cpu0 = snapshotCpu();
  const times = await runLoad(sessions, o.rounds, o.thinkMs);
  const seconds = (performance.now() - t) / 1000;
  const all = Object.values(times).flat().length;
  logCpu(cpuBetween(cpu0, snapshotCpu(), new Map([[web.child.pid!, 'web']])), all);
  for (const [kind, ms] of Object.entries(times)) {
    log(`${kind}: n=${ms.length} p50=${round(percentile(ms, 0.5), 1)} p95=${round(percentile(ms, 0.95), 1)} max=${round(Math.max(...ms), 1)} ms`);
  }
  log(`${all} requests in ${round(seconds, 1)} s (think time ${o.thinkMs ? `0..${2 * o.thinkMs} ms` : 'none'}) (${round(all / seconds, 1)}/s), load average now ${os.loadavg().map((l) => round(l, 1)).join(' ')}`);
  await stopEntry(web);
  const ceiling = await measureCeiling(sessions, databaseUrl, o);
  return {
    tickets: o.tickets, clients: o.clients,
    list_p95_ms: round(percentile(times.list, 0.95), 1),
    search_p95_ms: round(percentile([...times.search_number, ...times.search_words], 0.95), 1),
    detail_p95_ms: round(percentile(times.detail, 0.95), 1),
    concurrency: o.concurrency,
    ceiling_list_p95_ms: ceiling,
  };
}

await runBench(main, cleanups.run, log);
