// Bitrix24 call queue benchmark: npm run bench:b24 [-- --calls N]
// Two processes make N logical calls of mixed kinds (posts, edits, staff and task reads, task
// creation) against the sandbox portal at its default limit (2 requests/s drain, 50 burst).
// Prints as its last line {"logical_calls", "rest_requests", "batch_ratio", "max_rps",
// "limit_rps", "duplicates"}: max_rps is the most requests the sandbox saw in any 10 s window,
// divided by 10; duplicates counts posts that appear more than once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/index.js';
import { startLocalRedis } from '../main/local-redis.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../main/logger.js';
import { openCoreServices } from '../main/services.js';
import { runBitrix24 } from '../main/run-bitrix24.js';
import { maxRequestRate, restRequests } from './request-rate.js';

const log = (m: string) => process.stderr.write(`[bench:b24] ${m}\n`);
const { values } = parseArgs({ options: { calls: { type: 'string', default: '1000' } } });
const logical = Number(values.calls);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-bench-b24-'));
const redis = await startLocalRedis(path.join(dir, 'redis'));
const sandbox = await startSandbox();
const caFile = path.join(dir, 'ca.pem');
fs.writeFileSync(caFile, sandbox.caCertPem);
const env = {
  REDIS_URL: redis.url, QUEUE_PREFIX: 'benchb24', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'bench@modest.example',
  B24_WEBHOOK_URL: sandbox.createWebhook(1), B24_BOT_TOKEN: 'bench-bot-token', B24_CA_FILE: caFile, LOG_LEVEL: 'warn',
  // The bot needs a dispatch chat; the sample portal's dispatcher and director get one.
  BOT_DISPATCHERS: '2,1',
};

// Register the bot once, then let two processes share the queue.
const setupConfig = loadConfig({ ...env, DATA_DIR: path.join(dir, 'setup') });
const core = await openCoreServices(setupConfig);
const setup = (await runBitrix24(setupConfig, core, createLogger('warn', 'setup'), { processCalls: true, runBot: true }))!;
const bot = await setup.bot;
await setup.stop();
await core.close();
sandbox.clearRequestLog();

// Each process makes half.
const perProcess = Math.ceil(logical / 2);
const started = Date.now();
const done = await Promise.all(['p1', 'p2'].map((name) => new Promise<number>((resolve, reject) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/b24-client.ts', name, String(perProcess), JSON.stringify(bot)],
    { env: { ...process.env, ...env, DATA_DIR: path.join(dir, name) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!).done) : reject(new Error(`${name} exited ${code}`))));
})));
const seconds = (Date.now() - started) / 1000;
const requests = restRequests(sandbox.requestLog());
const posts = [3, 4, 5, 6].flatMap((u) => sandbox.dialogMessages(u, String(bot.botId))).filter((m) => m.authorId === bot.botId);
const texts = posts.map((m) => String(m.text).replace(/ \(edited\)$/, ''));
const duplicates = texts.length - new Set(texts).size;
const logicalCalls = done.reduce((a, b) => a + b, 0);
log(`${logicalCalls} logical calls in ${seconds.toFixed(1)} s over ${requests.length} requests; `
  + `${requests.filter((r) => r.error === 'QUERY_LIMIT_EXCEEDED').length} refused by the rate limit; ${posts.length} posts`);
await sandbox.close();
await redis.stop();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  logical_calls: logicalCalls, rest_requests: requests.length, batch_ratio: Math.round((logicalCalls / requests.length) * 10) / 10,
  max_rps: maxRequestRate(requests), limit_rps: 2, duplicates,
}));
process.exit(0);
