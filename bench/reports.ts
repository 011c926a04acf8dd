// Reports benchmark: npm run bench:reports [-- --clients N] [--workers 2] [--runs 3] [--seed S]
//   [--cpu-prof DIR]   (V8 profiles of the worker processes)
//
// N clients (default 6,000) with a contract (9 in 10) and 1-60 tickets closed in October 2026
// each, generated deterministically and inserted into a PostgreSQL database before any clock
// starts. Then, interleaved (C, P, C, P, C, P; the medians count, peak_rss_mb is the highest):
//  - ceiling: the same reports rendered straight from the in-memory data with pdfkit, no
//    database or queue, by as many processes as the pipeline has workers (bench/reports-ceiling.ts);
//  - pipeline: that many real worker processes (main/worker.ts, all settings at their defaults)
//    on Redis and a fresh copy of the database. The clock starts when the monthly-run job is
//    queued (workers ready), and stops when the database holds all N reports: each one loaded,
//    computed, rendered, stored by content and recorded as a draft.
// Both sides hash every PDF; a run fails unless all N hashes agree, so both made the same PDFs.
// peak_rss_mb: the highest sum of VmRSS over the worker processes at one sample (every 100 ms).
// Progress goes to stderr; the last stdout line is the JSON result.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startLocalRedis } from '../main/local-redis.js';
import { freePort } from '../main/free-port.js';
import { ensureDebianPackages } from '../main/ensure-debian-packages.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { DEJAVU_FONTS } from '../reports/load-report-fonts.js';
import { REPORT_JOBS, REPORTS_QUEUE } from '../reports/report-jobs.js';
import { BENCH_MONTH, generateReportData, insertReportData } from './reports-data.js';
import { spawnEntry, stopEntries, waitReady, type EntryProcess } from './spawn-entry.js';
import { sampleRss } from './sample-rss.js';
import { cpuBetween, snapshotCpu, type CpuSnapshot } from './sample-cpu.js';
import { makeCleanups, median, round, runBench, throughputResult } from './bench-result.js';
import { startNullSmtp } from './start-null-smtp.js';

const log = (msg: string) => process.stderr.write(`[bench:reports] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const COMPANY = 'Modest Support';

function readOptions() {
  const { values } = parseArgs({ options: {
    clients: { type: 'string', default: '6000' }, workers: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' }, seed: { type: 'string', default: '20261101' }, 'cpu-prof': { type: 'string' },
  } });
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return { clients: int('clients', values.clients), workers: int('workers', values.workers),
    runs: int('runs', values.runs), seed: int('seed', values.seed),
    cpuProf: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined };
}
type Options = ReturnType<typeof readOptions>;

/** Where the CPU went between two snapshots: ours by process, and what the rest of the machine took. */
function reportCpu(what: string, a: CpuSnapshot, procs: EntryProcess[]): void {
  const c = cpuBetween(a, snapshotCpu(), new Map(procs.map((p) => [p.child.pid!, p.name])));
  const parts = Object.entries(c.groups).filter(([, x]) => x >= 0.05).sort((x, y) => y[1] - x[1]).map(([n, x]) => `${n} ${round(x)}`);
  log(`${what} CPU seconds over ${round(c.wall)} s wall: ${parts.join(', ')}; ours ${round(c.ours)}, other processes on the machine `
    + `${round(c.others)} (of ${os.cpus().length} cores x ${round(c.wall)} s)`);
}

const cleanups = makeCleanups(log);

/** Ceiling processes render their shards at once; the ceiling time is the wall clock from the start signal to the last one done. */
async function measureCeiling(o: Options, inputs: ReturnType<typeof generateReportData>['inputs'], dir: string) {
  const procs = Array.from({ length: o.workers }, (_, k) => {
    const shard = path.join(dir, `shard-${k}.json`);
    fs.writeFileSync(shard, JSON.stringify(inputs.filter((_, i) => i % o.workers === k)));
    return spawnEntry(`ceiling${k + 1}`, 'bench/reports-ceiling.ts', {}, { args: [shard, path.join(dir, `hashes-${k}.json`), COMPANY] });
  });
  await Promise.all(procs.map((p) => waitLine(p, (l) => l === 'ready')));
  const cpu0 = snapshotCpu();
  const t0 = performance.now();
  for (const p of procs) p.child.kill('SIGUSR2');
  const results = await Promise.all(procs.map((p) => waitLine(p, (l) => l.startsWith('{"reports"'))));
  const seconds = (performance.now() - t0) / 1000;
  reportCpu('ceiling', cpu0, procs);
  const hashes = new Map<number, string>();
  procs.forEach((_, k) => Object.entries(JSON.parse(fs.readFileSync(path.join(dir, `hashes-${k}.json`), 'utf8')) as Record<string, string>)
    .forEach(([id, h]) => hashes.set(Number(id), h)));
  const cpu = results.reduce((a, r) => a + (JSON.parse(r) as { cpuSeconds: number }).cpuSeconds, 0);
  log(`ceiling: ${inputs.length} reports by ${o.workers} processes in ${round(seconds)} s = ${round(inputs.length / seconds, 1)}/s `
    + `(${round((cpu * 1000) / inputs.length, 1)} ms CPU per report)`);
  return { seconds, hashes };
}

function waitLine(p: EntryProcess, match: (line: string) => boolean, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      const hit = p.lines.find(match);
      if (hit) return resolve(hit);
      if (p.exited()) return reject(new Error(`${p.name} exited:\n${p.tail()}`));
      if (Date.now() > deadline) return reject(new Error(`${p.name}: timed out`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

interface PipelineResult { seconds: number; peakRssMb: number }

/** Workers up and ready first; then the monthly run is queued and the clock runs until every report is in the database. */
async function runPipeline(o: Options, env: Record<string, string>, db: Db, queue: Queue): Promise<PipelineResult> {
  const rss = sampleRss(100);
  const procs: EntryProcess[] = [];
  try {
    const started = await Promise.all(Array.from({ length: o.workers }, async (_, k) => {
      const port = await freePort();
      const p = spawnEntry(`worker${k + 1}`, 'main/worker.ts', { ...env, HEALTH_PORT: String(port) },
        { nodeArgs: o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : [] });
      procs.push(p);
      rss.add(p.child.pid!);
      return { p, port };
    }));
    await Promise.all(started.map((w) => waitReady(w.p, w.port)));
    const cpu0 = snapshotCpu();
    const t0 = performance.now();
    await queue.add(REPORT_JOBS.monthly, { month: BENCH_MONTH });
    let lastLog = performance.now();
    for (;;) {
      const dead = procs.find((p) => p.exited());
      if (dead) throw new Error(`${dead.name} exited during the run:\n${dead.tail()}`);
      const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from reports');
      if (n >= o.clients) break;
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`+${round((lastLog - t0) / 1000, 1)} s: ${n}/${o.clients} reports`);
      }
      await sleep(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    reportCpu('pipeline', cpu0, procs);
    const peaks = rss.stop();
    log(`pipeline: ${o.clients} reports in ${round(seconds)} s = ${round(o.clients / seconds, 1)}/s; peak RSS sum `
      + `${round(peaks.peakSumKb / 1024, 1)} MB (${procs.map((p) => `${p.name} ${round((peaks.peakPerPidKb.get(p.child.pid!) ?? 0) / 1024, 1)}`).join(', ')} MB)`);
    return { seconds, peakRssMb: peaks.peakSumKb / 1024 };
  } finally {
    rss.stop();
    await stopEntries(procs, log);
  }
}

/** Both sides must have made the very same PDFs. */
async function verify(db: Db, ceiling: Map<number, string>, clients: number): Promise<void> {
  const rows = await db.query<{ client_id: number; pdf_sha256: string }>('select client_id, pdf_sha256 from reports');
  const same = rows.filter((r) => ceiling.get(r.client_id) === r.pdf_sha256).length;
  log(`verify: ${rows.length} reports stored, ${same} byte-identical to the ceiling's`);
  if (rows.length !== clients || same !== clients) throw new Error('the pipeline and the ceiling did not produce the same PDFs');
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  process.once('SIGINT', () => { log('interrupted'); void cleanups.run().finally(() => process.exit(130)); });
  ensureDebianPackages([{ file: DEJAVU_FONTS.regular, pkg: 'fonts-dejavu-core' }]);
  const data = generateReportData(o.clients, o.seed);
  log(`${o.clients} clients, ${data.inputs.reduce((a, x) => a + x.tickets.length, 0)} tickets generated`);
  const [redis, postgres, smtp] = await Promise.all([startLocalRedis(cleanups.tempDir('modest-bench-redis-')), startPostgres(), startNullSmtp()]);
  cleanups.add(() => redis.stop(), () => postgres.stop(), () => smtp.close());
  const baseUrl = await seedBase(postgres.url, data);
  const ceilings: number[] = [];
  const runs: PipelineResult[] = [];
  for (let k = 1; k <= o.runs; k++) {
    const ceiling = await measureCeiling(o, data.inputs, cleanups.tempDir('modest-bench-ceiling-'));
    ceilings.push(ceiling.seconds);
    // Each run on its own copy of the seeded database and its own queues.
    const databaseUrl = await createDatabase(postgres.url, 'run', baseUrl);
    const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 2 });
    const prefix = `bench${crypto.randomBytes(4).toString('hex')}`;
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(REPORTS_QUEUE, { connection, prefix });
    try {
      const env = {
        REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATA_DIR: cleanups.tempDir('modest-bench-data-'), DATABASE_URL: databaseUrl,
        SMTP_URL: smtp.url, MAIL_FROM: 'Modest Support <support@modest.example>', COMPANY_NAME: COMPANY, LOG_LEVEL: 'warn',
      };
      runs.push(await runPipeline(o, env, db, queue));
      await verify(db, ceiling.hashes, o.clients);
      log(`run ${k}/${o.runs}: ceiling ${round(ceiling.seconds)} s, pipeline ${round(runs[k - 1].seconds)} s`);
    } finally {
      await queue.close();
      connection.disconnect();
      await db.close();
    }
  }
  return throughputResult('reports', o.clients, median(runs.map((r) => r.seconds)), median(ceilings), Math.max(...runs.map((r) => r.peakRssMb)));
}

/** The seeded database every run copies: migrated, filled, vacuumed and checkpointed, then closed (a template must be idle). */
async function seedBase(adminUrl: string, data: ReturnType<typeof generateReportData>): Promise<string> {
  const databaseUrl = await createDatabase(adminUrl, 'base');
  const db = await openDb({ databaseUrl, pgliteDir: '/nonexistent', poolSize: 4 });
  try {
    await migrate(db);
    const t = performance.now();
    await insertReportData(db, data);
    // Settled now, so autovacuum and the checkpointer do not run during the measurement.
    await db.query('vacuum analyze');
    await db.query('checkpoint');
    log(`inserted and vacuumed in ${round((performance.now() - t) / 1000)} s`);
  } finally {
    await db.close();
  }
  return databaseUrl;
}

await runBench(main, cleanups.run, log);
