// Ingest benchmark: npm run bench:ingest [-- --messages N] [--workers 2] [--concurrency C]
//   [--seed S] [--runs 3] [--ack-seconds 30] [--ack-rate 20] [--cpu-prof DIR] [--set NAME=VALUE ...]
//   (--set: settings for the pipeline's processes; --cpu-prof: V8 profiles of them)
//
// Fills a fresh Dovecot mailbox with N deterministic mixed mails (plain, HTML, ~1 in 5 with a
// ~200 KB attachment, Cyrillic in UTF-8/windows-1251/KOI8-R, ~1 in 20 a reply) before any clock
// starts, then runs, interleaved (C, F, P, C, F, P...; medians count; peak_rss_mb is the highest):
//  - ceiling: the best a bare script does (bench/measure-ceiling.ts, a fresh process): imapflow
//    fetch and mailparser parse, inline on the one thread (`ceiling_rate_1thread`), spread over
//    as many threads as the intake runs parser threads (`threads`), and over one per core (up
//    to four); `ceiling_rate` is the best of these (`ceiling_threads`: which; 0 is inline);
//  - record floor (bench/measure-record-floor.ts, a fresh process): the ceiling's fetch with the
//    intake's parse (as many threads) and the workers' recording in PostgreSQL, inline, nothing
//    else: no queue, no worker process, no mailbox marked, no mail sent. It is about the most a
//    pipeline that commits every ticket before its clock stops can do here (`floor_rate`;
//    `floor_ratio` = floor rate / best ceiling rate);
//  - pipeline: main/intake.ts and two main/worker.ts processes on PostgreSQL and Redis, until
//    every mail's ticket is committed and its acknowledgement job queued (each run on a fresh
//    database, queue prefix and data folder, with its own IMAP keyword).
// ratio = pipeline rate / best ceiling rate. Then `ack_p95_s`: a fresh pipeline and mailbox,
// new requests appended at random moments (--ack-rate per second for --ack-seconds), from each
// APPEND's OK to the SMTP listener accepting its acknowledgement (bench/ack-trickle.ts).
// Progress goes to stderr; stdout gets one line, the JSON result.
//
// Pipeline clock: the workers are started and waited for (/readyz) first; then the intake is
// spawned and the clock starts when its /readyz turns 200 (its mailbox connected), at the send
// time of the last poll that did not get 200, so it never starts late; the ceiling's clock also
// starts with the mailbox open. It stops at the latest `finishedOn` of the ingest jobs, once the
// database holds N inbound messages and the mail-out queue a job per acknowledgement.
// peak_rss_mb: the highest SUM of VmRSS over the pipeline's node processes at one sample (100 ms).
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLocalRedis } from '../main/local-redis.js';
import { freePort } from '../main/free-port.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { DOVECOT_PASSWORD, startDovecot } from '../test/harness/dovecot.js';
import { generateBenchMails, type BenchMail } from './generate-bench-mail.js';
import { countMessages, fillMailbox, type ImapLogin } from './fill-mailbox.js';
import { startNullSmtp } from './start-null-smtp.js';
import { spawnEntry, stopEntries, stopEntry, waitReady, type EntryProcess } from './spawn-entry.js';
import { openProgress, type Progress, type StageStats } from './pipeline-progress.js';
import { readRssKb, sampleRss } from './sample-rss.js';
import { cpuBetween, describeThreads, snapshotCpu, threadTicks } from './sample-cpu.js';
import { makeCleanups, median, percentile, round, runBench, throughputResult } from './bench-result.js';
import { measureAckLatency, startAckListener } from './ack-trickle.js';
import { parseThreadCount } from '../main/run-intake.js';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Options {
  messages: number; workers: number; concurrency?: number; seed: number; cpuProf?: string; extraEnv: Record<string, string>;
  runs: number; ackSeconds: number; ackRate: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '1000' }, workers: { type: 'string', default: '2' },
      concurrency: { type: 'string' }, seed: { type: 'string', default: '20260105' }, 'cpu-prof': { type: 'string' },
      set: { type: 'string', multiple: true, default: [] }, runs: { type: 'string', default: '3' },
      'ack-seconds': { type: 'string', default: '30' }, 'ack-rate': { type: 'string', default: '20' },
    },
  });
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    messages: int('messages', values.messages), workers: int('workers', values.workers),
    runs: int('runs', values.runs), ackSeconds: int('ack-seconds', values['ack-seconds']), ackRate: int('ack-rate', values['ack-rate']),
    concurrency: values.concurrency === undefined ? undefined : int('concurrency', values.concurrency),
    seed: int('seed', values.seed), cpuProf: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined,
    extraEnv: Object.fromEntries(values.set.map((kv) => {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(kv);
      if (!m) throw new Error(`--set takes NAME=VALUE, got ${kv}`);
      return [m[1], m[2]];
    })),
  };
}

const cleanups = makeCleanups(log);

async function startServices() {
  const redisDir = cleanups.tempDir('modest-bench-redis-');
  const started = await Promise.allSettled([startLocalRedis(redisDir), startPostgres(), startDovecot(), startNullSmtp()] as const);
  const [redis, postgres, dovecot, smtp] = started;
  // Whatever started is stopped at the end, even when another service failed to start.
  if (redis.status === 'fulfilled') cleanups.add(() => redis.value.stop());
  if (postgres.status === 'fulfilled') cleanups.add(() => postgres.value.stop());
  if (dovecot.status === 'fulfilled') cleanups.add(() => dovecot.value.close());
  if (smtp.status === 'fulfilled') cleanups.add(() => smtp.value.close());
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
  return { redis: value(redis), postgres: value(postgres), dovecot: value(dovecot), smtp: value(smtp) };
}

type Services = Awaited<ReturnType<typeof startServices>>;

/** Generates the mails and appends them to a fresh user's INBOX. */
async function prepareMailbox(o: Options, port: number): Promise<{ mails: BenchMail[]; login: ImapLogin }> {
  let t = performance.now();
  const mails = generateBenchMails(o.messages, o.seed);
  const mb = mails.reduce((a, m) => a + m.raw.length, 0) / 2 ** 20;
  log(`generated ${mails.length} mails, ${round(mb, 1)} MB (${mails.filter((m) => m.attachmentBytes > 0).length} with an attachment, `
    + `${mails.filter((m) => m.replyTo !== null).length} replies) in ${round(performance.now() - t, 0)} ms`);
  const login = { host: '127.0.0.1', port, user: `bench${crypto.randomBytes(4).toString('hex')}`, pass: DOVECOT_PASSWORD };
  t = performance.now();
  await fillMailbox(login, 'INBOX', mails.map((m) => m.raw), 4);
  const count = await countMessages(login, 'INBOX');
  if (count !== mails.length) throw new Error(`mailbox holds ${count} messages, expected ${mails.length}`);
  log(`appended to ${login.user}/INBOX over 4 connections in ${round((performance.now() - t) / 1000)} s`);
  return { mails, login };
}

/** One ceiling run, in its own process. */
interface CeilingRun { messages: number; seconds: number; bytes: number; cpuSeconds: number; threadCpu: string }

/** Runs a bare script (bench/measure-*.ts) in a fresh process and returns its JSON line. */
async function runBareScript<T>(name: string, file: string, env: Record<string, string>, args: object): Promise<T> {
  const p = spawnEntry(name, file, env, { args: [JSON.stringify(args)] });
  let out = '';
  p.child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => p.child.once('exit', resolve));
  if (code !== 0) throw new Error(`${name} run failed (${code}):\n${p.tail()}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** One ceiling run in a fresh process; `threads` 0 parses inline, on the one thread. */
async function measureCeiling(login: ImapLogin, threads: number, label: string): Promise<CeilingRun> {
  const s0 = snapshotCpu();
  const r = await runBareScript<CeilingRun>('ceiling', 'bench/measure-ceiling.ts', {}, { ...login, folder: 'INBOX', batch: 50, threads });
  const others = cpuBetween(s0, snapshotCpu(), new Map()).others;
  log(`${label}: ${r.messages} mails (${round(r.bytes / 2 ** 20, 1)} MB) fetched + parsed in ${round(r.seconds)} s `
    + `= ${round(r.messages / r.seconds, 1)}/s, ${round(1000 * r.cpuSeconds / r.messages)} ms CPU/mail `
    + `(other processes on the machine: ${round(others)} CPU s); its threads, CPU seconds: ${r.threadCpu}`);
  return r;
}

/**
 * The record floor in a fresh process on a fresh database (bench/measure-record-floor.ts):
 * fetch, the intake's parse and the workers' recording inline, nothing else.
 */
async function measureRecordFloor(o: Options, s: Services, login: ImapLogin, threads: number, label: string): Promise<number> {
  const env = await pipelineEnv(o, s, login, 0);
  const s0 = snapshotCpu();
  const r = await runBareScript<{ messages: number; seconds: number; cpuSeconds: number }>('record floor', 'bench/measure-record-floor.ts', env,
    { ...login, folder: 'INBOX', batch: 50, threads });
  const c = cpuBetween(s0, snapshotCpu(), new Map());
  if (r.messages !== o.messages) throw new Error(`record floor saw ${r.messages} messages, expected ${o.messages}`);
  log(`${label}: ${r.messages} mails fetched, parsed and recorded in ${round(r.seconds)} s = ${round(r.messages / r.seconds, 1)}/s, `
    + `${round(1000 * r.cpuSeconds / r.messages)} ms CPU/mail in its process; PostgreSQL ${round(c.groups.postgres ?? 0)} CPU s over the process's life (migrations included)`);
  return r.seconds;
}

interface PipelineResult {
  seconds: number;
  /** CPU seconds of the pipeline's processes and the services (PostgreSQL, Redis, Dovecot), not this one. */
  cpuSeconds: number;
  peakRssMb: number;
  final: Progress;
}

/** A ceiling variant's name: 0 parses inline. */
const ceilingName = (n: number) => (n === 0 ? 'inline' : `${n} parser thread${n > 1 ? 's' : ''}`);

const mailsIn = (p: Progress, n: number) => p.inbound >= n && p.ingestOpen === 0;
const isDone = (p: Progress, n: number) => mailsIn(p, n) && p.acksQueued !== null && p.acksQueued >= p.outbound;

async function runPipeline(o: Options, env: Record<string, string>, progress: ReturnType<typeof openProgress>): Promise<PipelineResult> {
  const rss = sampleRss(100);
  const procs: EntryProcess[] = [];
  const nodeArgs = o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : [];
  const start = async (name: string, file: string) => {
    const port = await freePort();
    const p = spawnEntry(name, file, { ...env, HEALTH_PORT: String(port) }, { nodeArgs });
    procs.push(p);
    cleanups.add(() => stopEntry(p)); // on an interrupt; a no-op once stopped below
    rss.add(p.child.pid!);
    return { p, port };
  };
  try {
    const workers = await Promise.all(Array.from({ length: o.workers }, (_, k) => start(`worker${k + 1}`, 'main/worker.ts')));
    await Promise.all(workers.map((w) => waitReady(w.p, w.port)));
    const intake = await start('intake', 'main/intake.ts');
    const spawnedAt = Date.now();
    const { notReadyBefore: t0, readyAt } = await waitReady(intake.p, intake.port);
    const cpu0 = snapshotCpu();
    const intakeThreads0 = threadTicks(intake.p.child.pid!);
    const rssAtStart = new Map(procs.map((p) => [p.child.pid!, readRssKb(p.child.pid!) ?? 0]));
    log(`workers ready; intake ready ${readyAt - spawnedAt} ms after spawn; clock started`);
    const final = await waitUntilDone(o.messages, procs, progress, t0);
    const cpu = cpuBetween(cpu0, snapshotCpu(), new Map(procs.map((p) => [p.child.pid!, p.name])));
    log(`intake's threads, CPU seconds: ${describeThreads(intake.p.child.pid!, intakeThreads0, threadTicks(intake.p.child.pid!))}`);
    const peaks = rss.stop();
    const stages = await progress.stages();
    reportRun(t0, stages, cpu, procs.map((p) => ({
      name: p.name, peakKb: peaks.peakPerPidKb.get(p.child.pid!) ?? 0, startKb: rssAtStart.get(p.child.pid!) ?? 0,
    })), peaks.peakSumKb);
    return {
      seconds: (stages.lastFinished - t0) / 1000, cpuSeconds: cpu.ours - (cpu.groups.bench ?? 0), peakRssMb: peaks.peakSumKb / 1024, final,
    };
  } finally {
    rss.stop();
    await stopEntries(procs, log);
  }
}

async function waitUntilDone(n: number, procs: EntryProcess[], progress: ReturnType<typeof openProgress>, t0: number): Promise<Progress> {
  let lastLog = Date.now();
  let lastChange = Date.now();
  let prev = -1;
  for (;;) {
    const dead = procs.find((p) => p.exited());
    if (dead) throw new Error(`${dead.name} exited during the run:\n${dead.tail()}`);
    let p = await progress.read({ acks: false });
    if (mailsIn(p, n)) p = await progress.read({ acks: true });
    if (isDone(p, n)) return p;
    if (p.inbound !== prev) { prev = p.inbound; lastChange = Date.now(); }
    if (Date.now() - lastChange > 120_000) throw new Error(`no progress for 2 minutes: ${JSON.stringify(p)}`);
    if (Date.now() - lastLog >= 2000) {
      lastLog = Date.now();
      log(`+${round((Date.now() - t0) / 1000, 1)} s: ${p.inbound}/${n} committed, ${p.ingestOpen} ingest jobs open, `
        + `${p.ingestFailed} failed, ${p.acksSent} acks sent`);
    }
    // The clock stops at the last ingest job's own finishing time, not at this poll: polling
    // seldom loses no precision and leaves the two cores to the pipeline it measures.
    await sleep(500);
  }
}

/** Where the time went: job timeline, CPU per process, memory per process (all to stderr). */
function reportRun(t0: number, st: StageStats, c: ReturnType<typeof cpuBetween>,
  rss: Array<{ name: string; peakKb: number; startKb: number }>, peakSumKb: number): void {
  log(`intake queued jobs from +${st.firstQueued - t0} to +${st.lastQueued - t0} ms; workers ran from +${st.firstStarted - t0} `
    + `to +${st.lastFinished - t0} ms; per job: queue wait p50 ${st.waitMs.p50} / p95 ${st.waitMs.p95} ms, `
    + `run p50 ${st.runMs.p50} / p95 ${st.runMs.p95} / mean ${round(st.runMs.mean, 1)} ms`);
  const parts = Object.entries(c.groups).filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1])
    .map(([name, s]) => `${name} ${round(s)} (system ${round(c.system[name])})`);
  log(`CPU seconds over ${round(c.wall)} s wall: ${parts.join(', ')}; ours ${round(c.ours)}, `
    + `other processes on the machine ${round(c.others)} (of ${os.cpus().length} cores x ${round(c.wall)} s)`);
  const mb = (kb: number) => round(kb / 1024, 1);
  log(`peak RSS: sum ${mb(peakSumKb)} MB; per process max ${rss.map((r) => `${r.name} ${mb(r.peakKb)}`).join(', ')} MB `
    + `(at clock start: ${rss.map((r) => mb(r.startKb)).join(', ')} MB)`);
}

/** Checks what was stored against what was sent: Cyrillic subjects decoded, replies threaded. */
function verify(mails: BenchMail[], rows: Array<{ message_id: string; subject: string; ticket_id: number }>): void {
  const byId = new Map(rows.map((r) => [r.message_id, r]));
  const missing = mails.filter((m) => !byId.has(m.messageId)).length;
  const badSubject = mails.filter((m) => byId.get(m.messageId) && byId.get(m.messageId)!.subject !== m.subject);
  const replies = mails.filter((m) => m.replyTo !== null);
  const threaded = replies.filter((m) => byId.get(m.messageId)?.ticket_id === byId.get(mails[m.replyTo!].messageId)?.ticket_id).length;
  log(`verify: ${missing} missing, ${badSubject.length} subjects differ${badSubject[0]
    ? ` (e.g. ${JSON.stringify(badSubject[0].subject)} stored as ${JSON.stringify(byId.get(badSubject[0].messageId)!.subject)})` : ''}, `
    + `${threaded}/${replies.length} replies in their original's ticket`);
  if (missing > 0 || badSubject.length > 0) throw new Error('stored mail does not match what was sent');
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { log(`${signal}: cleaning up`); void cleanups.run().finally(() => process.exit(130)); });
  }
  const s = await startServices();
  log(`services up: ${s.redis.url}, ${s.postgres.url}, dovecot :${s.dovecot.port}, ${s.smtp.url}`);
  const { mails, login } = await prepareMailbox(o, s.dovecot.port);
  if (Object.keys(o.extraEnv).length > 0) log(`extra settings: ${JSON.stringify(o.extraEnv)}`);
  const configured = o.extraEnv.INTAKE_PARSE_THREADS;
  const threads = parseThreadCount(configured === undefined ? undefined : Number(configured));
  // The ceiling three ways: parsing inline (0), on as many threads as the intake, and on one
  // per core; the best of them is the ceiling.
  const variants = [...new Set([0, threads, Math.min(4, os.availableParallelism())])];
  const ceilings = new Map<number, number[]>(variants.map((n) => [n, []]));
  const floors: number[] = [];
  const runs: PipelineResult[] = [];
  // Interleaved (C, F, P, C, F, P...), so a busy spell on the shared machine weighs on every side alike.
  for (let k = 1; k <= o.runs; k++) {
    for (const n of variants) {
      const c = await measureCeiling(login, n, `ceiling ${ceilingName(n)} ${k}/${o.runs}`);
      if (c.messages !== o.messages) throw new Error(`ceiling saw ${c.messages} messages, expected ${o.messages}`);
      ceilings.get(n)!.push(c.seconds);
    }
    floors.push(await measureRecordFloor(o, s, login, threads, `record floor ${k}/${o.runs}`));
    const run = await runPipelineOnce(o, s, login, mails, k);
    log(`pipeline run ${k}/${o.runs}: ${round(run.seconds)} s = ${round(o.messages / run.seconds, 1)}/s; CPU per mail `
      + `${round(1000 * run.cpuSeconds / o.messages)} ms (all its processes and services); on ${os.cpus().length} cores it cannot pass `
      + `${round(os.cpus().length * o.messages / run.cpuSeconds, 0)}/s`);
    runs.push(run);
  }
  const best = variants.reduce((a, b) => (median(ceilings.get(b)!) < median(ceilings.get(a)!) ? b : a));
  log(`ceiling medians: ${variants.map((n) => `${ceilingName(n)} ${round(o.messages / median(ceilings.get(n)!), 1)}/s`).join(', ')}`);
  const ackS = await measureAck(o, s);
  const floorRate = o.messages / median(floors);
  return {
    ...throughputResult('messages', o.messages, median(runs.map((r) => r.seconds)), median(ceilings.get(best)!), Math.max(...runs.map((r) => r.peakRssMb))),
    threads, ceiling_threads: best, ceiling_rate_1thread: round(o.messages / median(ceilings.get(0)!), 1),
    floor_rate: round(floorRate, 1), floor_ratio: round(floorRate * median(ceilings.get(best)!) / o.messages, 3), ack_p95_s: round(percentile(ackS, 95) / 1000),
  };
}

/** ack_p95_s: a fresh mailbox, database and queues; the SMTP listener notes when each acknowledgement came. */
async function measureAck(o: Options, s: Services): Promise<number[]> {
  const acks = await startAckListener();
  cleanups.add(() => acks.close());
  const login = { host: '127.0.0.1', port: s.dovecot.port, user: `ack${crypto.randomBytes(4).toString('hex')}`, pass: DOVECOT_PASSWORD };
  const prefix = `ack${crypto.randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    REDIS_URL: s.redis.url, QUEUE_PREFIX: prefix, DATA_DIR: cleanups.tempDir('modest-bench-data-'),
    DATABASE_URL: await createDatabase(s.postgres.url, 'ack'), IMAP_URLS: `imap://${login.user}:${login.pass}@127.0.0.1:${login.port}/INBOX?name=ack`,
    SMTP_URL: acks.url, MAIL_FROM: 'Acme Support <support@modest.example>', LOG_LEVEL: 'warn',
    // The generated senders repeat; a real trickle comes from many more addresses than the daily cap would allow here.
    MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY: '100000', ...o.extraEnv,
  };
  // New requests only (no replies), each of which is acknowledged; another seed, so other Message-IDs.
  const mails = generateBenchMails(o.ackSeconds * o.ackRate, o.seed + 1, 0);
  const committedAt = async () => {
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ message_id: string; at: number }>(
      `select message_id, extract(epoch from created_at) * 1000 as at from messages where direction = 'in'`);
    await db.end();
    return new Map(rows.map((r) => [r.message_id, Number(r.at)]));
  };
  const ms = await measureAckLatency({ env, login, mails, perSecond: o.ackRate, workers: o.workers, acceptedAt: acks.acceptedAt, committedAt }, log);
  log(`ack trickle: mailbox -> acknowledgement accepted p50 ${round(percentile(ms, 50) / 1000)} s, p95 ${round(percentile(ms, 95) / 1000)} s, max ${round(Math.max(...ms) / 1000)} s`);
  return ms;
}

/** The pipeline's settings for run k: a fresh database, queue prefix and data folder, its own IMAP keyword. */
async function pipelineEnv(o: Options, s: Services, login: ImapLogin, k: number): Promise<Record<string, string>> {
  return {
    REDIS_URL: s.redis.url, QUEUE_PREFIX: `bench${crypto.randomBytes(4).toString('hex')}`, DATA_DIR: cleanups.tempDir('modest-bench-data-'),
    DATABASE_URL: await createDatabase(s.postgres.url, 'bench'),
    IMAP_URLS: `imap://${login.user}:${login.pass}@127.0.0.1:${login.port}/INBOX?name=bench`, MAIL_PROCESSED_KEYWORD: `$BenchRun${k}`,
    SMTP_URL: s.smtp.url, MAIL_FROM: 'Acme Support <support@modest.example>', LOG_LEVEL: 'warn',
    ...(o.concurrency ? { INGEST_CONCURRENCY: String(o.concurrency) } : {}),
    ...o.extraEnv,
  };
}

/** One pipeline run on a fresh database, queue prefix and data folder, with its own IMAP keyword. */
async function runPipelineOnce(o: Options, s: Services, login: ImapLogin, mails: BenchMail[],
  k: number): Promise<PipelineResult> {
  const env = await pipelineEnv(o, s, login, k);
  const progress = openProgress(env.DATABASE_URL, s.redis.url, env.QUEUE_PREFIX);
  try {
    const run = await runPipeline(o, env, progress);
    const f = run.final;
    log(`pipeline: ${f.inbound} mails -> ${f.tickets} tickets, ${f.outbound} acks committed and queued (${f.acksSent} sent)`);
    verify(mails, await progress.inboundRows());
    return run;
  } finally {
    await progress.close();
  }
}

await runBench(main, cleanups.run, log);
