// Operator panel benchmark: npm run bench:panel [-- --tickets N] [--open N] [--samples N] [--database-url URL]
//
// Seeds a fresh PostgreSQL database (or, with --database-url, that one, once: a later run with
// the same sizes reuses its data, the seed of a million tickets taking minutes) with N tickets (default 1,000,000, generate_series) over
// 6,000 clients and 40 staff, one operator holding --open (default 1,000) open tickets, then
// runs the real web process (main/web.ts) and measures at its HTTP edge, signed in as that
// operator by a signed link as the bot gives it:
//  - queue_p95_ms: GET /api/panel/queue, a mix of what a dispatcher does, each kind as often
//    (queuePaths: one's own queue paged in each order, the unassigned, the department, all
//    tickets, searches by number, sender, client and words); each kind's p95 goes to stderr;
//  - ticket_p95_ms: GET /api/panel/tickets/N of the operator's tickets;
//  - live_update_p95_ms: another process (this one, on its own connection, as the bot's worker
//    would) adds a note to a ticket; the time until the open page's event stream announces the
//    ticket and the page's fetch of it shows the note, including the 100 ms the page waits for
//    more events before it fetches (portal/app/src/panel/use-panel.ts), as a person sees it.
// Progress goes to stderr; the last stdout line is {"tickets", "open_per_operator",
// "queue_p95_ms", "ticket_p95_ms", "live_update_p95_ms"}.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { signStaffLink } from '../bot/panel-links.js';
import { loadConfig } from '../config/load-config.js';
import { freePort } from '../main/free-port.js';
import { startLocalRedis } from '../main/local-redis.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { makeCleanups, round, runBench } from './bench-result.js';
import { OPERATOR_B24_ID, ensurePanelData } from './panel-seed.js';
import { spawnEntry, stopEntry, waitReady } from './spawn-entry.js';

const log = (msg: string) => process.stderr.write(`[bench:panel] ${msg}\n`);
const cleanups = makeCleanups(log);
const SECRET = 'bench-panel-link-secret-0001';
/** How long the panel page waits after an event for more before it fetches (use-panel.ts). */
const PAGE_COALESCE_MS = 100;

function readOptions() {
  const { values } = parseArgs({ options: {
    tickets: { type: 'string', default: '1000000' }, open: { type: 'string', default: '1000' }, samples: { type: 'string', default: '200' },
    'database-url': { type: 'string' },
  } });
  return { tickets: Number(values.tickets), open: Number(values.open), samples: Number(values.samples), databaseUrl: values['database-url'] };
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
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

/** Tickets anywhere in the database, as a dispatcher looks for them: by sender, client, subject words. */
interface Sought { requester_email: string; client_id: number; subject: string }

/**
 * The queue requests of the run, kinds in turn: a dispatcher's own open tickets page by page in
 * each order, the unassigned, the department's, all open and all tickets by age (paged), and
 * searches across all tickets by number, sender address, client, words of a subject, and a
 * common word across all tickets and in one's own queue (each of the seed's words is in a
 * tenth of all tickets).
 */
const COMMON_WORDS = ['printer', 'mail', 'backup', 'login'];

function queuePaths(open: number, samples: number, numbers: number[], sought: Sought[]): string[] {
  const pages = Math.max(1, Math.ceil(open / 50));
  const any = (i: number) => sought[i % sought.length];
  const kinds = [
    (i: number) => `/api/panel/queue?view=mine&status=open&sort=oldest&page=${1 + (i % pages)}`,
    (i: number) => `/api/panel/queue?view=mine&status=open&sort=newest&page=${1 + (i % pages)}`,
    (i: number) => `/api/panel/queue?view=mine&status=open&sort=activity&page=${1 + (i % pages)}`,
    () => '/api/panel/queue?view=unassigned&status=new&sort=oldest',
    () => '/api/panel/queue?view=department&status=open&sort=oldest',
    () => '/api/panel/queue?view=all&status=open&sort=activity',
    (i: number) => `/api/panel/queue?view=all&status=any&sort=newest&page=${1 + (i % 5)}`,
    (i: number) => `/api/panel/queue?view=all&status=any&q=${numbers[i % numbers.length]}`,
    (i: number) => `/api/panel/queue?view=all&status=any&q=${encodeURIComponent(any(i).requester_email)}`,
    (i: number) => `/api/panel/queue?view=all&status=any&sort=newest&client=${any(i).client_id}`,
    (i: number) => `/api/panel/queue?view=all&status=any&q=${encodeURIComponent(any(i).subject.split(' ').slice(2).join(' '))}`,
    (i: number) => `/api/panel/queue?view=all&status=any&q=${COMMON_WORDS[i % 4]}`,
    (i: number) => `/api/panel/queue?view=mine&status=open&q=${COMMON_WORDS[i % 4]}`,
  ];
  return Array.from({ length: samples }, (_, i) => kinds[i % kinds.length](i));
}

async function freshDatabase(): Promise<string> {
  const postgres = await startPostgres();
  cleanups.add(() => postgres.stop());
  return createDatabase(postgres.url, 'panel');
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  process.once('SIGINT', () => { log('interrupted'); void cleanups.run().finally(() => process.exit(130)); });
  const redis = await startLocalRedis(cleanups.tempDir('modest-bench-redis-'));
  cleanups.add(() => redis.stop());
  const databaseUrl = o.databaseUrl ?? await freshDatabase();
  const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 2 });
  cleanups.add(() => db.close());
  await migrate(db);
  let t = performance.now();
  const seeded = await ensurePanelData(db, { tickets: o.tickets, open: o.open, clients: 6000, staff: 40 });
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
  // Warm-up: the first requests pay for connections and plans.
  const sought = await db.query<Sought>('select requester_email, client_id, subject from tickets tablesample system (1) limit 200');
  await timeAll(port, cookie, [...queuePaths(o.open, 30, numbers, sought), ...numbers.slice(0, 20).map((n) => `/api/panel/tickets/${n}`)]);
  t = performance.now();
  const paths = queuePaths(o.open, o.samples * 2, numbers, sought);
  const queue = await timeAll(port, cookie, paths);
  // Which kind of queue request is slow, by its p95 (stderr).
  const byKind = new Map<string, number[]>();
  paths.forEach((path, i) => {
    const kind = path.replace(/page=\d+/, '').replace(/client=\d+/, 'client=<id>').replace(/q=\d+$/, 'q=<number>')
      .replace(/q=[^&]*%40[^&]*/, 'q=<address>').replace(/q=[a-z]+%20\d+/, 'q=<words>').replace(/q=[a-z]+$/, 'q=<common word>');
    byKind.set(kind, [...(byKind.get(kind) ?? []), queue[i]]);
  });
  for (const [kind, xs] of byKind) log(`queue p95 ${round(p95(xs), 1)} ms: ${kind}`);
  const ticket = await timeAll(port, cookie, Array.from({ length: o.samples }, (_, i) => `/api/panel/tickets/${numbers[i % numbers.length]}`));
  const live = await measureLive(db, port, cookie, numbers, Math.min(o.samples, 100));
  log(`measured in ${round((performance.now() - t) / 1000)} s: ${queue.length} queue, ${ticket.length} ticket, ${live.length} live samples`);
  agent.destroy();
  return {
    tickets: o.tickets, open_per_operator: o.open,
    queue_p95_ms: round(p95(queue), 1), ticket_p95_ms: round(p95(ticket), 1), live_update_p95_ms: round(p95(live), 1),
  };
}

await runBench(main, () => cleanups.run(), log);
