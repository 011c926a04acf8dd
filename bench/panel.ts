// Operator panel benchmark: npm run bench:panel [-- --tickets N] [--open N] [--samples N] [--database-url URL]
//   [--keep-db DIR] [--shared-buffers SIZE]
//
// Seeds a fresh PostgreSQL database with N tickets (default 1,000,000, generate_series) over
// 6,000 clients and 40 staff, one operator holding --open (default 1,000) open tickets, then
// runs the real web process (main/web.ts) and measures at its HTTP edge, one request at a time
// (as a person clicks), signed in as that operator by a signed link as the bot gives it:
//  - queue_p95_ms: GET /api/panel/queue, 4 x --samples (default 200) requests of a dispatcher's
//    mix, each kind as often (bench/panel-requests.ts: one's own queue paged in each order, the
//    unassigned, the department, all open by activity and by age, a status, all tickets paged,
//    a client, searches by number, sender address and name, subject words and a common word);
//  - board_p95_ms: GET /api/panel/board, the board page's data, in each view in turn;
//  - ticket_p95_ms: GET /api/panel/tickets/N of the operator's tickets;
//  - live_update_p95_ms: another process (this one, on its own connection, as the bot's worker
//    would) adds a note to a ticket; the time until the open page's event stream announces the
//    ticket and the page's fetch of it shows the note, including the 100 ms the page waits for
//    more events before it fetches (portal/app/src/panel/use-panel.ts), as a person sees it.
// Each kind's p50 and p95 go to stderr, slowest first.
//
// Where the data lives: by default a server of our own on a fresh temporary cluster. With
// --keep-db DIR (e.g. /work/bench-db/panel) the cluster stays in DIR: the first run seeds it,
// later runs with the same sizes (and the same seed version) reuse it, new migrations applied,
// so a run takes a minute, not the seed's several. With --database-url the given database is
// used: seeded once when empty, reused when it holds this seed, refused when it holds other data.
// Our own server runs with shared_buffers of 1 GB (--shared-buffers SIZE to compare), as a
// production server of a million tickets would (a quarter of the memory is the usual advice):
// the default 128 MB holds a tenth of the 1.4 GB database, so scattered rows (one client's
// tickets) are read from the OS cache or the disk on each request and time how the kernel
// caches, not the panel's queries.
//
// Progress goes to stderr; the last stdout line is {"tickets", "open_per_operator",
// "queue_p95_ms", "ticket_p95_ms", "live_update_p95_ms", "board_p95_ms"}.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { signStaffLink } from '../bot/panel-links.js';
import { loadConfig } from '../config/load-config.js';
import { freePort } from '../main/free-port.js';
import { startLocalRedis } from '../main/local-redis.js';
import { openDb, type Db, type Sql } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { makeCleanups, round, runBench } from './bench-result.js';
import { boardRequests, perKind, percentile, queueRequests, type Sought, type TimedRequest } from './panel-requests.js';
import { OPERATOR_B24_ID, ensurePanelData, holdsPanelSeed } from './panel-seed.js';
import { spawnEntry, stopEntry, waitReady } from './spawn-entry.js';

const log = (msg: string) => process.stderr.write(`[bench:panel] ${msg}\n`);
const cleanups = makeCleanups(log);
const SECRET = 'bench-panel-link-secret-0001';
/** How long the panel page waits after an event for more before it fetches (use-panel.ts). */
const PAGE_COALESCE_MS = 100;

function readOptions() {
  const { values } = parseArgs({ options: {
    tickets: { type: 'string', default: '1000000' }, open: { type: 'string', default: '1000' }, samples: { type: 'string', default: '200' },
    'database-url': { type: 'string' }, 'keep-db': { type: 'string' },
    'shared-buffers': { type: 'string', default: '1GB' },
  } });
  return {
    tickets: Number(values.tickets), open: Number(values.open), samples: Number(values.samples), databaseUrl: values['database-url'],
    keepDb: values['keep-db'] ? path.resolve(values['keep-db']) : undefined, sharedBuffers: values['shared-buffers'],
  };
}

const p95 = (xs: number[]) => percentile(xs, 0.95);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(port: number, path: string, cookie = ''): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    }).on('error', reject);
  });
}

/** Times `paths` one after another (as a person clicks), failing on anything but 200. */
async function timeAll(port: number, cookie: string, paths: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const path of paths) {
    const t = performance.now();
    const r = await get(port, path, cookie);
    times.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body.slice(0, 200)}`);
  }
  return times;
}

/** Opens the event stream of one ticket; resolves a waiter each time it names that ticket. */
function openStream(port: number, cookie: string, number: number): Promise<{ next(): Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const waiters: Array<() => void> = [];
    const req = http.get({ host: '127.0.0.1', port, path: `/api/panel/events?ticket=${number}`, headers: { cookie } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (d: string) => {
        buf += d;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          if (buf.slice(0, i).includes(`data: ${number}`)) waiters.shift()?.();
          buf = buf.slice(i + 2);
        }
      });
      resolve({ next: () => new Promise<void>((r) => waiters.push(r)), close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

async function measureLive(db: Db, port: number, cookie: string, numbers: number[], samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const number = numbers[i % numbers.length];
    const stream = await openStream(port, cookie, number);
    try {
      const heard = stream.next();
      const text = `bench note ${i}`;
      const t = performance.now();
      await db.query(`insert into messages (ticket_id, direction, kind, body_text, created_at)
        select id, 'note', 'note', $2, now() from tickets where number = $1`, [number, text]);
      await heard;
      await new Promise((resolve) => setTimeout(resolve, PAGE_COALESCE_MS));
      const page = await get(port, `/api/panel/tickets/${number}`, cookie);
      if (!page.body.includes(text)) throw new Error(`ticket ${number} does not show the change`);
      times.push(performance.now() - t);
    } finally {
      stream.close();
    }
  }
  // A reused database stays as seeded.
  await db.query("delete from messages where kind = 'note' and body_text like 'bench note %'");
  return times;
}

type Options = ReturnType<typeof readOptions>;
const seedSize = (o: Options) => ({ tickets: o.tickets, open: o.open, clients: 6000, staff: 40 });

/** `fn` on one connection to `url`, closed after. */
async function withClient<T>(url: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn({ query: async (text, params) => (await client.query(text, params)).rows });
  } finally { await client.end(); }
}

/**
 * A database on a server of our own: a fresh one, or with --keep-db the kept cluster's
 * `panel_bench`, made anew unless it holds this seed (sizes and the seed's version).
 */
async function ownDatabase(o: Options): Promise<string> {
  const postgres = await startPostgres({ ...(o.keepDb ? { keepDir: o.keepDb } : {}), settings: { shared_buffers: o.sharedBuffers } });
  cleanups.add(() => postgres.stop());
  if (!o.keepDb) return createDatabase(postgres.url, 'panel');
  const u = new URL(postgres.url);
  u.pathname = '/panel_bench';
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = 'panel_bench'")).rows.length > 0;
    const reusable = exists && await withClient(u.toString(), (sql) => holdsPanelSeed(sql, seedSize(o)));
    if (exists && !reusable) {
      log(`${o.keepDb} holds another seed (or an unfinished one): seeding anew`);
      await admin.query('drop database panel_bench');
    }
    if (!reusable) await admin.query('create database panel_bench');
  } finally { await admin.end(); }
  return u.toString();
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  const load = () => os.loadavg().map((l) => round(l, 1)).join(' ');
  log(`${os.availableParallelism()} cores, load average ${load()}: a shared machine, figures are what it gave now`);
  process.once('SIGINT', () => { log('interrupted'); void cleanups.run().finally(() => process.exit(130)); });
  const redis = await startLocalRedis(cleanups.tempDir('modest-bench-redis-'));
  cleanups.add(() => redis.stop());
  const databaseUrl = o.databaseUrl ?? await ownDatabase(o);
  const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 2 });
  cleanups.add(() => db.close());
  await migrate(db);
  let t = performance.now();
  const seeded = await ensurePanelData(db, seedSize(o));
  log(`${seeded ? 'seeded' : 'reused'} ${o.tickets} tickets (${o.open} open for the operator) in ${round((performance.now() - t) / 1000)} s`);
  const port = await freePort();
  const env = {
    REDIS_URL: redis.url, QUEUE_PREFIX: 'panelbench', DATA_DIR: cleanups.tempDir('modest-bench-data-'), DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn', HTTP_PORT: String(port), SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'Modest Support <support@modest.example>',
    PANEL_LINK_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  const web = spawnEntry('web', 'main/web.ts', env);
  cleanups.add(() => stopEntry(web));
  await waitReady(web, port, 300_000);
  const signIn = await get(port, `/panel?t=${signStaffLink(loadConfig(env).panel.linkSecret!, OPERATOR_B24_ID, new Date(), 60_000)}`);
  const cookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0];
  if (signIn.status !== 303 || !cookie.startsWith('panel_session=')) throw new Error(`sign-in failed: ${signIn.status}`);
  const numbers = (await db.query<{ number: number }>(
    `select number from tickets where status = 'in_progress' order by random() limit 200`)).map((r) => r.number);
  const sought = await db.query<Sought>('select requester_email, requester_name, client_id, subject from tickets tablesample system (1) limit 200');
  const paths = (rs: TimedRequest[]) => rs.map((r) => r.path);
  // Warm-up: the first requests pay for connections and plans.
  await timeAll(port, cookie, [...paths(queueRequests(o.open, 40, numbers, sought)), ...paths(boardRequests(4)),
    ...numbers.slice(0, 20).map((n) => `/api/panel/tickets/${n}`)]);
  t = performance.now();
  const queueMix = queueRequests(o.open, o.samples * 4, numbers, sought);
  const queue = await timeAll(port, cookie, paths(queueMix));
  const boardMix = boardRequests(Math.ceil(o.samples / 2));
  const board = await timeAll(port, cookie, paths(boardMix));
  const ticket = await timeAll(port, cookie, Array.from({ length: o.samples }, (_, i) => `/api/panel/tickets/${numbers[i % numbers.length]}`));
  const live = await measureLive(db, port, cookie, numbers, Math.min(o.samples, 100));
  log(`measured in ${round((performance.now() - t) / 1000)} s: ${queue.length} queue, ${board.length} board, ${ticket.length} ticket, ${live.length} live samples; load average now ${load()}`);
  // Which kind of request is slow (stderr), slowest first.
  for (const line of [...perKind(queueMix, queue), ...perKind(boardMix, board)]) log(line);
  for (const [name, xs] of [['ticket page', ticket], ['live update', live]] as const) {
    log(`p50 ${round(percentile(xs, 0.5), 1)} p95 ${round(p95(xs), 1)} ms (${xs.length}): ${name}`);
  }
  agent.destroy();
  return {
    tickets: o.tickets, open_per_operator: o.open,
    queue_p95_ms: round(p95(queue), 1), ticket_p95_ms: round(p95(ticket), 1), live_update_p95_ms: round(p95(live), 1),
    board_p95_ms: round(p95(board), 1),
  };
}

await runBench(main, () => cleanups.run(), log);
