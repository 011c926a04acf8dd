// Bitrix24 call queue benchmark: npm run bench:b24 [-- --calls N] [--steady-seconds S] [--steady-rate R]
// Two processes share the call queue against the sandbox portal at its default limit.
//  1. Burst: N logical calls of mixed kinds at once (posts, edits, staff and department reads,
//     task creation), half from each process.
//  2. Steady: then, for S seconds (default 60), bot messages at random moments (Poisson), R per
//     second in all (default 1), half from each process.
// Prints as its last line {"logical_calls", "rest_requests", "batch_ratio", "max_rps", "limit_rps",
// "duplicates", "burst_s", "steady_messages", "p95_latency_s"}:
//  - max_rps: the most requests the sandbox saw in any 10 s window, divided by 10; limit_rps: the
//    drain rate in the configuration the processes ran with (B24_RATE_DRAIN);
//  - duplicates: everything the portal carried out twice: messages, edits, tasks, reads;
//  - p95_latency_s: steady messages, from the call queued (client side) to the portal having
//    it (its request log: arrival plus handling).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/index.js';
import { startLocalRedis } from '../main/local-redis.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../main/logger.js';
import { openCoreServices } from '../main/services.js';
import { runBitrix24 } from '../main/run-bitrix24.js';
import { sandboxEnv } from '../main/sandbox-env.js';
import type { BotIdentity } from '../connectors/bitrix24/imbot.js';
import { makeCleanups, percentile, round, runBench } from './bench-result.js';
import { countDuplicates, executedCalls, sendTimes } from './b24-measure.js';
import { maxRequestRate, restRequests } from './request-rate.js';
import { spawnEntry, stopEntries, type EntryProcess } from './spawn-entry.js';

const log = (m: string) => process.stderr.write(`[bench:b24] ${m}\n`);
const cleanups = makeCleanups(log);
const USERS = [3, 4, 5, 6];

function readOptions() {
  const { values } = parseArgs({ options: {
    calls: { type: 'string', default: '1000' }, 'steady-seconds': { type: 'string', default: '60' }, 'steady-rate': { type: 'string', default: '1' },
  } });
  return { calls: Number(values.calls), steadySeconds: Number(values['steady-seconds']), steadyRate: Number(values['steady-rate']) };
}

/** Registers the bot once in this process, so the two clients only share the queue. */
async function registerBot(env: Record<string, string>, dir: string): Promise<BotIdentity> {
  const config = loadConfig({ ...env, DATA_DIR: path.join(dir, 'setup') });
  const core = await openCoreServices(config);
  const setup = (await runBitrix24(config, core, createLogger('warn', 'setup'), { processCalls: true, runBot: true }))!;
  const bot = await setup.bot;
  await setup.stop();
  await core.close();
  return bot;
}

async function waitForFiles(files: string[], procs: EntryProcess[]): Promise<void> {
  while (!files.every((f) => fs.existsSync(f))) {
    const dead = procs.find((p) => p.exited() && p.child.exitCode !== 0);
    if (dead) throw new Error(`${dead.name} exited early:\n${dead.tail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  const dir = cleanups.tempDir('modest-bench-b24-');
  const redis = await startLocalRedis(path.join(dir, 'redis'));
  const sandbox = await startSandbox();
  cleanups.add(() => redis.stop(), () => sandbox.close());
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: 'benchb24', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'bench@modest.example',
    LOG_LEVEL: 'warn', ...sandboxEnv(sandbox, dir, { botToken: 'bench-bot-token' }) };
  const bot = await registerBot(env, dir);
  sandbox.clearRequestLog();

  const results = ['p1', 'p2'].map((name) => path.join(dir, `${name}.json`));
  const procs = ['p1', 'p2'].map((name, k) => spawnEntry(name, 'bench/b24-client.ts', { ...env, DATA_DIR: path.join(dir, name) }, {
    args: [name, String(Math.ceil(o.calls / 2)), String(o.steadySeconds), String(o.steadyRate / 2), String(k + 1), JSON.stringify(bot), results[k]],
  }));
  cleanups.add(() => stopEntries(procs, log));
  await waitForFiles(results.map((f) => `${f}.burst`), procs);
  // From the first call of the burst queued to the last answered, in either process.
  const spans = results.map((f) => JSON.parse(fs.readFileSync(`${f}.burst`, 'utf8')) as [number, number]);
  const burstS = (Math.max(...spans.map((s) => s[1])) - Math.min(...spans.map((s) => s[0]))) / 1000;
  log(`burst done in ${burstS.toFixed(1)} s; steady arrival for ${o.steadySeconds} s`);
  results.forEach((f) => fs.writeFileSync(`${f}.go`, ''));
  await waitForFiles(results, procs);
  // They stop on their own once their result is written; stopEntries reports any that did not.
  for (const deadline = Date.now() + 30_000; procs.some((p) => !p.exited()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
  await stopEntries(procs, log);

  const out = results.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { burst: number; issued: Record<string, number>; steady: Array<{ text: string; queuedAt: number }> });
  const issued: Record<string, number> = {};
  for (const r of out) for (const [m, n] of Object.entries(r.issued)) issued[m] = (issued[m] ?? 0) + n;
  const requests = restRequests(sandbox.requestLog());
  const calls = executedCalls(requests);
  const duplicates = countDuplicates(sandbox, bot.botId, USERS, calls, issued);
  const arrived = sendTimes(calls);
  const steady = out.flatMap((r) => r.steady);
  const latencies = steady.map((s) => (arrived.get(s.text) ?? NaN) - s.queuedAt);
  if (latencies.some(Number.isNaN)) throw new Error('a steady message never reached the portal');
  const logicalCalls = Object.values(issued).reduce((a, b) => a + b, 0);
  log(`${logicalCalls} logical calls over ${requests.length} requests; ${requests.filter((r) => r.error === 'QUERY_LIMIT_EXCEEDED').length} `
    + `refused by the rate limit; duplicates ${JSON.stringify(duplicates)}`);
  return {
    logical_calls: logicalCalls, rest_requests: requests.length, batch_ratio: round(logicalCalls / requests.length, 1),
    max_rps: maxRequestRate(requests), limit_rps: loadConfig({ ...env, DATA_DIR: dir }).bitrix24.limits.drainPerSecond,
    duplicates: Object.values(duplicates).reduce((a, b) => a + b, 0), burst_s: round(burstS, 1),
    steady_messages: steady.length, p95_latency_s: round(percentile(latencies, 95) / 1000),
  };
}

await runBench(main, cleanups.run, log);
