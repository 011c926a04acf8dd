// Chaos check: npm run bench:chaos [-- --mails N] [--kills K] [--seed S]
//
// Starts the real services (Redis with its append-only file, PostgreSQL, Dovecot, an SMTP
// listener, the sandbox portal) and the real processes (one intake, two workers, each also
// running the bot and the Bitrix24 call queue), then, while N mixed mails (15% replies,
// Cyrillic in three charsets, attachments) arrive in the mailbox:
//  1. kills a random intake or worker process with SIGKILL K times (and starts it again);
//  2. restarts Redis with its data, then without it (as after a restart without persistence),
//     stops PostgreSQL in immediate mode and starts it again, restarts Dovecot, and stops SMTP
//     for 30 s, each while a few mails arrive;
//  3. makes 30% of Bitrix24 requests fail (500 before acting, 502 after acting, connection
//     reset after acting) while the last mails arrive.
// The SMTP listener files what it accepts into the mailbox's Sent folder, as Gmail does, and
// the workers look there before sending again a mail whose outcome they lost (SMTP_SENT_FOLDER_URL).
// Then it waits for everything to settle and counts, from the database, the SMTP listener and
// the sandbox's dispatch chat: mails lost or stored twice, acknowledgements sent twice or not
// at all, dispatch cards posted twice, not at all, or not recorded on their ticket (orphaned),
// and the longest time a running process's /readyz was not 200 after it had been ready.
// Deterministic kills: both workers restarted with MODEST_CRASH_AT at each narrow point
// (workers/crash-point.ts) while a few mails arrive.
// Progress goes to stderr; stdout's last line is the JSON result.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLocalRedis, type LocalRedis } from '../main/local-redis.js';
import { freePort } from '../main/free-port.js';
import { sandboxEnv } from '../main/sandbox-env.js';
import { startSandbox } from '../sandbox/index.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { DOVECOT_PASSWORD, startDovecot } from '../test/harness/dovecot.js';
import { generateBenchMails } from './generate-bench-mail.js';
import { fillMailbox, type ImapLogin } from './fill-mailbox.js';
import { startCountingSmtp } from './counting-smtp.js';
import { spawnEntry, stopEntries, stopEntry, waitReady, type EntryProcess } from './spawn-entry.js';
import { watchReadiness } from './watch-readiness.js';
import { makeCleanups, round, runBench } from './bench-result.js';
import { countOutcome, type Outcome } from './chaos-outcome.js';

const log = (msg: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups = makeCleanups(log);

function readOptions() {
  const { values } = parseArgs({ options: {
    mails: { type: 'string', default: '1000' }, kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '20261206' },
  } });
  return { mails: Number(values.mails), kills: Number(values.kills), seed: Number(values.seed) };
}

async function startServices() {
  const redisDir = cleanups.tempDir('modest-chaos-redis-');
  const [redis, postgres, dovecot, smtp, sandbox] = await Promise.all([
    startLocalRedis(redisDir), startPostgres(), startDovecot(), startCountingSmtp(), startSandbox(),
  ]);
  const s = { redis, postgres, dovecot, smtp, sandbox };
  cleanups.add(() => s.redis.stop(), () => postgres.stop(), () => dovecot.close(), () => smtp.down(), () => sandbox.close());
  return s;
}
type Services = Awaited<ReturnType<typeof startServices>>;

/** The intake and two workers, each on a fixed health port so a restarted one is watched again. */
function makeFleet(env: Record<string, string>, watcher: ReturnType<typeof watchReadiness>) {
  const roles = [{ name: 'intake', file: 'main/intake.ts' }, { name: 'worker1', file: 'main/worker.ts' }, { name: 'worker2', file: 'main/worker.ts' }];
  const running = new Map<string, { p: EntryProcess; port: number }>();
  const ports = new Map<string, number>();
  const start = async (name: string, crashAt?: string) => {
    const role = roles.find((r) => r.name === name)!;
    if (!ports.has(name)) ports.set(name, await freePort());
    const port = ports.get(name)!;
    const p = spawnEntry(name, role.file, { ...env, HEALTH_PORT: String(port), ...(crashAt ? { MODEST_CRASH_AT: crashAt } : {}) });
    cleanups.add(() => stopEntry(p));
    running.set(name, { p, port });
    // An armed process may die at its point before it is ever ready (a Bitrix24 call at start).
    if (crashAt) return;
    await waitReady(p, port, 600_000, 200); // generous: the machine may be shared
    watcher.watch(name, port);
  };
  return {
    roles: roles.map((r) => r.name),
    startAll: () => Promise.all(roles.map((r) => start(r.name))),
    async kill9(name: string) {
      const r = running.get(name)!;
      watcher.unwatch(name);
      const gone = new Promise((res) => r.p.child.once('exit', res));
      r.p.child.kill('SIGKILL');
      await gone;
      await start(name);
    },
    /**
     * Both workers restarted with MODEST_CRASH_AT=point while `work` runs; a worker that dies
     * there (exit 137) is started again unarmed. Returns how many died at the point.
     */
    async crashAt(point: string, work: () => Promise<void>, waitMs = 60_000): Promise<number> {
      const names = ['worker1', 'worker2'];
      for (const n of names) { watcher.unwatch(n); await stopEntry(running.get(n)!.p); await start(n, point); }
      await work();
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline && !names.some((n) => running.get(n)!.p.exited())) await sleep(500);
      let died = 0;
      for (const n of names) {
        const p = running.get(n)!.p;
        if (p.exited()) died += p.child.exitCode === 137 ? 1 : 0;
        else await stopEntry(p);
        await start(n);
      }
      return died;
    },
    stopAll: () => stopEntries([...running.values()].map((r) => r.p), log),
  };
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  const s = await startServices();
  const databaseUrl = await createDatabase(s.postgres.url, 'chaos');
  const dataDir = cleanups.tempDir('modest-chaos-data-');
  const login: ImapLogin = { host: '127.0.0.1', port: s.dovecot.port, user: `chaos${crypto.randomBytes(4).toString('hex')}`, pass: DOVECOT_PASSWORD };
  const env: Record<string, string> = {
    REDIS_URL: s.redis.url, QUEUE_PREFIX: 'chaos', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn',
    IMAP_URLS: `imap://${login.user}:${login.pass}@127.0.0.1:${login.port}/INBOX?name=chaos`, MAIL_POLL_INTERVAL_SECONDS: '2',
    // The workers log in as the support mailbox, so the listener files its Sent copies there.
    SMTP_URL: `smtp://${login.user}:${login.pass}@127.0.0.1:${s.smtp.port}`,
    SMTP_SENT_FOLDER_URL: `imap://${login.user}:${login.pass}@127.0.0.1:${login.port}/Sent`, MAIL_FROM: 'Acme Support <support@modest.example>', SMTP_PROBE_SECONDS: '2',
    ...sandboxEnv(s.sandbox, dataDir, { botToken: 'chaos-bot-token' }), B24_EVENT_POLL_SECONDS: '1', BOT_TICK_SECONDS: '1',
    BOT_REMIND_INTERVAL_SECONDS: '86400', SCHEDULE_CHECK_SECONDS: '2', OUTBOX_SWEEP_SECONDS: '5', JOB_LOCK_SECONDS: '10',
  };
  s.smtp.fileCopiesTo({ imapPort: s.dovecot.port, folder: 'Sent' });
  const mails = generateBenchMails(o.mails, o.seed, 0.15);
  log(`${mails.length} mails, ${mails.filter((m) => m.replyTo !== null).length} replies, ${mails.filter((m) => m.attachmentBytes > 0).length} with attachments`);
  const watcher = watchReadiness(500, log);
  const fleet = makeFleet(env, watcher);
  await fleet.startAll();
  log('intake and workers ready');
  let kills = 0;
  try {
    // 1. Mail arrives in chunks; after each, a random process is killed and started again.
    const chunks = Math.max(o.kills, 1);
    const main = Math.floor(mails.length * 0.8);
    const size = Math.ceil(main / chunks);
    const rnd = crypto.randomInt;
    for (let c = 0; c < chunks; c++) {
      await fillMailbox(login, 'INBOX', mails.slice(c * size, Math.min(main, (c + 1) * size)).map((m) => m.raw), 2);
      await sleep(1000 + rnd(3000));
      if (kills < o.kills) {
        const victim = fleet.roles[rnd(fleet.roles.length)];
        await fleet.kill9(victim);
        kills++;
        log(`kill ${kills}/${o.kills}: ${victim} (SIGKILL, started again)`);
      }
    }
    // 1b. Deterministic kills at the narrow points, each while a few more mails arrive.
    const narrow = mails.slice(main, main + Math.floor((mails.length - main) / 2));
    const per = Math.ceil(narrow.length / 3);
    for (const [k, point] of ['after-ingest-commit', 'after-smtp-accepted', 'after-portal-acted'].entries()) {
      const died = await fleet.crashAt(point, () => fillMailbox(login, 'INBOX', narrow.slice(k * per, (k + 1) * per).map((m) => m.raw), 2));
      kills += died;
      log(`crash point ${point}: ${died} worker(s) died there and were started again`);
    }
    // 2. The services fail one after another, each while a few mails arrive.
    const rest = mails.slice(main + narrow.length);
    const outages = serviceOutages(s);
    const perOutage = Math.floor(rest.length / 2 / outages.length);
    for (const [k, outage] of outages.entries()) {
      await fillMailbox(login, 'INBOX', rest.slice(k * perOutage, (k + 1) * perOutage).map((m) => m.raw), 2);
      await outage.run();
      log(outage.done);
      await sleep(10_000);
    }
    // 3. The last mails arrive while 30% of Bitrix24 requests fail, a third of those by a reset after acting.
    s.sandbox.setFaults({ errorRate: 0.3, badGatewayShare: 0.5, resetShare: 0.33 });
    await fillMailbox(login, 'INBOX', rest.slice(outages.length * perOutage).map((m) => m.raw), 2);
    await sleep(30_000);
    s.sandbox.clearFaults();
    log(`bitrix24 faults off; requests failed on purpose: ${JSON.stringify(s.sandbox.faultCounts())}`);
    const outcome = await settle(databaseUrl, s, mails.map((m) => m.messageId));
    const unready = watcher.max();
    log(`longest unready: ${round(unready.seconds, 1)} s (${unready.process}, failing: ${unready.checks})`);
    return { mails: mails.length, kills, ...outcome, max_unready_s: round(unready.seconds, 1) };
  } finally {
    await watcher.stop();
    await fleet.stopAll();
  }
}

/**
 * Redis restarted with its data, then without (as after a restart without persistence),
 * PostgreSQL stopped in immediate mode (no checkpoint: crash recovery at start), Dovecot
 * restarted, SMTP away for 30 s.
 */
function serviceOutages(s: Services): Array<{ run(): Promise<unknown>; done: string }> {
  return [
    { run: async () => { s.redis = await s.redis.restart(); }, done: 'redis restarted with its data' },
    { run: async () => { s.redis = await s.redis.restart({ wipe: true }); }, done: 'redis restarted empty' },
    { run: async () => {
      const { recovered } = await s.postgres.restartImmediate();
      if (!recovered) log('warning: postgresql did not report crash recovery after the immediate stop');
    }, done: 'postgresql stopped (-m immediate) and started again after crash recovery' },
    { run: async () => { await s.dovecot.stop(); await sleep(3000); await s.dovecot.start(); }, done: 'dovecot stopped for 3 s and started again' },
    { run: async () => {
      await s.smtp.down();
      const before = [...s.smtp.received.values()].reduce((a, b) => a + b, 0);
      log('smtp down');
      await sleep(30_000);
      await s.smtp.up();
      await sleep(10_000);
      log(`smtp: ${[...s.smtp.received.values()].reduce((a, b) => a + b, 0) - before} mails taken in the 10 s after it came back`);
    }, done: 'smtp up after 30 s' },
  ];
}

/** Waits until nothing changes any more (or every count is 0), then returns the counts. */
async function settle(databaseUrl: string, s: Services, messageIds: string[]): Promise<Outcome> {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const deadline = Date.now() + 15 * 60_000;
    let last = '';
    let stableSince = Date.now();
    for (;;) {
      const outcome = await countOutcome(db, s.smtp.received, s.sandbox, messageIds);
      const now = JSON.stringify(outcome);
      if (now !== last) { last = now; stableSince = Date.now(); log(`counts: ${now}`); }
      const clean = Object.values(outcome).every((v) => v === 0);
      if (clean && Date.now() - stableSince > 10_000) return outcome;
      if (Date.now() - stableSince > 180_000 || Date.now() > deadline) return outcome;
      await sleep(2000);
    }
  } finally {
    await db.end();
  }
}

await runBench(main, cleanups.run, log);
