// Reminder benchmark: npm run bench:nag [-- --unassigned N] [--missing-time N] [--rounds R] [--interval S]
//   [--arrivals-per-minute A]
//
// Seeds a backlog into a fresh PostgreSQL database: N unassigned tickets (default 10,000, all
// waiting for hours) and N closed without time (default 50) over four assignees, the sandbox's
// first- and second-line users. Then runs the real worker process (main/worker.ts: the call
// queue, event loop and dispatcher bot) against the sandbox portal at its default limit, with
// reminders every S seconds (default 10) and a 1 s bot tick, for R reminder rounds (default 5).
// Meanwhile new tickets arrive at random moments (A a minute, default 6), and a dispatcher
// clicks a department button on each new card (bench/nag-live.ts). Everything is read at the
// portal (its request log and message store). Last stdout line: {"unassigned", "missing_time",
// "requests_per_round", "max_rps", "limit_rps", "max_lateness_s", "click_p95_s"}:
//  - requests_per_round: the most REST requests (a batch is one) from a round's start to the
//    next's, event polls and everything else included;
//  - max_rps: the most requests in any 10 s window over the whole run, divided by 10;
//  - max_lateness_s: per ticket, how far past the interval its first reminder came (first round
//    included), and every later gap between reminders past the interval (nag-measure.ts);
//  - click_p95_s: click on a card -> the portal shows the card changed, under the backlog.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { freePort } from '../main/free-port.js';
import { sandboxEnv } from '../main/sandbox-env.js';
import { startLocalRedis } from '../main/local-redis.js';
import { sampleRoles, startSandbox, type Sandbox } from '../sandbox/index.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { makeCleanups, percentile, round, runBench } from './bench-result.js';
import { seedNagBacklog } from './nag-seed.js';
import { finishedRounds, maxRequestsPerRound, readReminderEvents, ticketLatenessMs, watchMessages, type SeenMessage } from './nag-measure.js';
import { clickLegs, REMINDER, startArrivals, startClicks } from './nag-live.js';
import { maxRequestRate, restRequests } from './request-rate.js';
import { spawnEntry, stopEntry, waitReady, type EntryProcess } from './spawn-entry.js';

const log = (msg: string) => process.stderr.write(`[bench:nag] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Both lines take tickets; two of them write in English, so both reminder languages are rendered.
const ASSIGNEES = [
  { b24UserId: sampleRoles.specialists[0], language: 'ru' as const }, { b24UserId: sampleRoles.specialists[1], language: 'en' as const },
  { b24UserId: sampleRoles.secondLine[0], language: 'ru' as const }, { b24UserId: sampleRoles.secondLine[1], language: 'en' as const },
];

function readOptions() {
  const { values } = parseArgs({ options: {
    unassigned: { type: 'string', default: '10000' }, 'missing-time': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '5' }, interval: { type: 'string', default: '10' }, 'arrivals-per-minute': { type: 'string', default: '6' },
  } });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  return {
    unassigned: int('unassigned', values.unassigned, 1), missingTime: int('missing-time', values['missing-time'], 0),
    rounds: int('rounds', values.rounds, 2), intervalS: int('interval', values.interval, 1),
    arrivalsPerMinute: int('arrivals-per-minute', values['arrivals-per-minute'], 1),
  };
}
type Options = ReturnType<typeof readOptions>;

const cleanups = makeCleanups(log);

interface Services { redisUrl: string; databaseUrl: string; db: Db; sandbox: Sandbox }

/** Redis, PostgreSQL (a fresh database, migrated) and the sandbox portal. */
async function startServices(): Promise<Services> {
  const [redis, postgres, sandbox] = await Promise.all([startLocalRedis(cleanups.tempDir('modest-bench-redis-')), startPostgres(), startSandbox()]);
  cleanups.add(() => redis.stop(), () => postgres.stop(), () => sandbox.close());
  const databaseUrl = await createDatabase(postgres.url, 'nag');
  const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 4 });
  cleanups.add(() => db.close());
  await migrate(db);
  return { redisUrl: redis.url, databaseUrl, db, sandbox };
}

/** Waits until `rounds` reminder rounds have run all their effects. */
async function waitForRounds(db: Db, o: Options, worker: EntryProcess): Promise<void> {
  const deadline = Date.now() + (o.rounds + 3) * o.intervalS * 1000 + 120_000;
  for (let seen = 0; ;) {
    if (worker.exited()) throw new Error(`the worker exited:\n${worker.tail()}`);
    if (Date.now() > deadline) throw new Error(`only ${seen} of ${o.rounds} reminder rounds before the deadline:\n${worker.tail()}`);
    const done = finishedRounds(await readReminderEvents(db)).length;
    if (done !== seen) log(`${done}/${o.rounds} reminder rounds done`);
    seen = done;
    if (done >= o.rounds) return;
    await sleep(250);
  }
}

/** The last reminders must count the whole backlog: every unassigned ticket (arrivals too), every one closed without time. */
function verifyCounts(o: Options, arrived: number, sandbox: Sandbox, botId: number, dispatchDialog: string): void {
  const lastCount = (viewer: number, dialog: string) => {
    const text = String(sandbox.dialogMessages(viewer, dialog).filter((m) => m.authorId === botId && REMINDER.test(String(m.text))).at(-1)?.text ?? '');
    return Number(REMINDER.exec(text)?.[2] ?? NaN);
  };
  const unassigned = lastCount(sampleRoles.dispatcher, dispatchDialog);
  const missing = ASSIGNEES.reduce((sum, a) => sum + (lastCount(a.b24UserId, String(botId)) || 0), 0);
  log(`last reminders count ${unassigned} unassigned (${arrived} arrived during the run), ${missing} closed without time`);
  if (!(unassigned >= o.unassigned && unassigned <= o.unassigned + arrived) || missing !== o.missingTime) {
    throw new Error('the reminders do not count the seeded backlog');
  }
}

/** Settings of the worker process: the sandbox as the portal, short reminder interval and tick. */
function workerEnv(o: Options, s: Services, botCode: string, healthPort: number): Record<string, string> {
  const dataDir = cleanups.tempDir('modest-bench-data-');
  return {
    REDIS_URL: s.redisUrl, QUEUE_PREFIX: botCode, DATA_DIR: dataDir, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'warn',
    HEALTH_PORT: String(healthPort), SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'Modest Support <support@modest.example>',
    ...sandboxEnv(s.sandbox, dataDir, { botToken: `bot-${botCode}` }), B24_BOT_CODE: botCode,
    B24_RATE_DRAIN: '2', B24_RATE_BURST: '50',
    BOT_TICK_SECONDS: '1', BOT_REMIND_INTERVAL_SECONDS: String(o.intervalS),
  };
}

/** Runs main/worker.ts until `rounds` reminder rounds are done, with arrivals and clicks meanwhile. */
async function runWorker(o: Options, s: Services, env: Record<string, string>, botId: () => number | undefined) {
  const t = performance.now();
  const worker = spawnEntry('worker', 'main/worker.ts', env);
  cleanups.add(() => stopEntry(worker));
  const { notReadyBefore: readyAt } = await waitReady(worker, Number(env.HEALTH_PORT), 180_000);
  log(`worker ready in ${round((performance.now() - t) / 1000)} s; running ${o.rounds} rounds, ${o.intervalS} s apart`);
  const arrivals = startArrivals(s.db, o.arrivalsPerMinute);
  const clicks = startClicks(s.sandbox, botId);
  await waitForRounds(s.db, o, worker);
  const endAt = Date.now();
  const arrived = await arrivals.stop();
  const timed = await clicks.stop();
  const code = await stopEntry(worker);
  const noisy = worker.lines.filter((l) => /"level":(4|5|6)0/.test(l));
  if (code !== 0 || noisy.length > 0) log(`worker exit ${code}, ${noisy.length} warn+ lines:\n${noisy.slice(-5).join('\n')}`);
  return { readyAt, endAt, arrived, clicks: timed };
}

/** Per dialog, as the portal shows it: reminders with their counts, and when each ticket became known. */
function latenessMs(o: Options, messages: SeenMessage[], readyAt: number, endAt: number): number {
  let worst = 0;
  for (const chatId of new Set(messages.map((m) => m.chatId))) {
    const inChat = messages.filter((m) => m.chatId === chatId && m.at < endAt);
    const reminders = inChat.filter((m) => REMINDER.test(m.text)).map((m) => ({ at: m.at, count: Number(REMINDER.exec(m.text)![2]) }));
    if (reminders.length === 0) continue;
    const cards = inChat.filter((m) => !REMINDER.test(m.text) && /#\d+/.test(m.text)).map((m) => m.at).sort((a, b) => a - b);
    const backlog = Math.min(...reminders.map((r) => r.count));
    const known = [...Array.from({ length: Math.min(backlog, reminders[0].count) }, () => readyAt), ...cards];
    const late = ticketLatenessMs(reminders, known, o.intervalS * 1000, endAt);
    log(`chat ${chatId}: ${reminders.length} reminders, ${cards.length} new cards; worst lateness ${round(late / 1000)} s`);
    worst = Math.max(worst, late);
  }
  return worst;
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  process.once('SIGINT', () => { log('interrupted'); void cleanups.run().finally(() => process.exit(130)); });
  const s = await startServices();
  const { db, sandbox } = s;
  const t = performance.now();
  await seedNagBacklog(db, { unassigned: o.unassigned, missingTime: o.missingTime, assignees: ASSIGNEES, now: new Date() });
  await db.query('vacuum analyze');
  log(`seeded ${o.unassigned} unassigned and ${o.missingTime} closed-without-time tickets in ${round((performance.now() - t) / 1000)} s`);
  const botCode = `nag_${crypto.randomBytes(3).toString('hex')}`;
  const env = workerEnv(o, s, botCode, await freePort());
  const watcher = watchMessages(sandbox);
  cleanups.add(async () => watcher.stop());
  const findBot = () => [...sandbox.portal.state.data.bots.values()].find((b) => b.code === botCode)?.id;
  const run = await runWorker(o, s, env, findBot);

  const botId = findBot()!;
  const messages = watcher.stop().filter((m) => m.authorId === botId);
  const events = (await readReminderEvents(db)).filter((e) => e.sentAt < run.endAt);
  const requests = restRequests(sandbox.requestLog());
  log(`${requests.length} REST requests in all, ${requests.filter((r) => r.error === 'QUERY_LIMIT_EXCEEDED').length} refused by the portal's limit; `
    + `${run.clicks.length} clicks timed; p50/p95 s by leg ${JSON.stringify(clickLegs(run.clicks, requests))}`);
  verifyCounts(o, run.arrived, sandbox, botId, events.find((e) => e.kind === 'unassigned')!.dialogId);
  return {
    unassigned: o.unassigned, missing_time: o.missingTime, requests_per_round: maxRequestsPerRound(finishedRounds(events), requests, run.endAt, log),
    max_rps: maxRequestRate(requests), limit_rps: loadConfig(env).bitrix24.limits.drainPerSecond,
    max_lateness_s: round(latenessMs(o, messages, run.readyAt, run.endAt) / 1000), click_p95_s: round(percentile(run.clicks.map((c) => c.ms), 95) / 1000),
  };
}

await runBench(main, cleanups.run, log);
