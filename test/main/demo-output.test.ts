import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exited, kill9, spawnEntry } from '../harness/processes.js';
import { freePort } from '../../main/free-port.js';
import { eventually } from '../harness/wait.js';
import { isPrettyLog } from '../../main/logger.js';

// What a newcomer sees when they run `npm start`: progress while it starts, "ready" only once
// HTTP, the bot and its dispatch chat are up, then the addresses to open, one per line.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-demo-out-'));
let env: Record<string, string>;
let running: ReturnType<typeof spawnEntry> | null = null;
beforeAll(async () => {
  env = {
    DATA_DIR: dataDir, HTTP_PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()),
    REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: `demo${crypto.randomBytes(3).toString('hex')}`, LOG_LEVEL: 'info',
  };
});
// A test that failed half-way leaves no demo holding the ports for the next one.
afterEach(async () => {
  if (running) await kill9(running);
  running = null;
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const lines = () => running!.output.join('').split('\n').filter((l) => l.trim() !== '');

/** Starts the demo and waits until it has said what to open (the last address is the health check). */
async function startUntilAnnounced(extra: Record<string, string> = {}): Promise<string[]> {
  running = spawnEntry('demo', { ...env, ...extra });
  const child = running;
  const seen = await eventually('the demo announced its addresses', async () => {
    const all = lines();
    if (all.some((l) => l.includes('/readyz'))) return all;
    return child.exitCode !== null ? 'exited' : null;
  }, 400_000).catch((err: Error) => { throw new Error(`${err.message}\n${child.output.join('').slice(-3000)}`); });
  if (seen === 'exited') throw new Error(`demo exited: ${child.output.join('').slice(-3000)}`);
  return seen;
}

async function stop(): Promise<void> {
  running!.kill('SIGTERM');
  expect(await exited(running!)).toBe(0);
  running = null;
}

test('piped (no terminal): JSON lines, progress from the first line, ready after HTTP and the bot, then one line per address', async () => {
  const out = (await startUntilAnnounced()).map((l) => JSON.parse(l) as { msg: string; at?: string; hint?: string });
  const msgs = out.map((l) => l.msg);
  const at = (msg: string) => msgs.indexOf(msg);
  expect(msgs[0]).toBe('first start: setting up the demo in the data folder (about a minute)');
  expect(at('creating the database (first start: the migrations take a few seconds)')).toBeGreaterThan(0);
  expect(at('creating the database (first start: the migrations take a few seconds)')).toBeLessThan(at('workers started'));
  const ready = at('demo ready');
  expect(ready).toBeGreaterThan(at('demo up'));
  expect(ready).toBeGreaterThan(at('dispatcher bot started'));
  expect(at('demo up')).toBeGreaterThan(0);
  expect(out.slice(ready + 1, ready + 7).map((l) => [l.msg, l.at])).toEqual([
    ['open: Sandbox messenger', `https://127.0.0.1:${env.SANDBOX_PORT}/sandbox/`],
    ['open: Client cabinet', `http://localhost:${env.HTTP_PORT}/`],
    ['open: Operator panel', `http://localhost:${env.HTTP_PORT}/panel`],
    ['open: Send us mail', path.join(dataDir, 'inbox')],
    ['open: Mail we sent', path.join(dataDir, 'outbox')],
    ['open: Health', `http://127.0.0.1:${env.HTTP_PORT}/readyz`],
  ]);
  expect(out[ready + 2].hint).toBe('sign in as director@romashka.example or cto@acme.example, password demo-cabinet-2026');
  // Ready means ready: HTTP answers and every check is green.
  expect((await fetch(`http://127.0.0.1:${env.HTTP_PORT}/readyz`)).status).toBe(200);
  await stop();
}, 500_000);

test('for a person (LOG_FORMAT=pretty): readable lines and the addresses as an aligned block after "demo ready"', async () => {
  const out = await startUntilAnnounced({ LOG_FORMAT: 'pretty' });
  expect(out.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
  expect(out[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: starting the demo$/);
  expect(out).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: dispatcher bot started \{"dispatchDialog":"chat\d+","botId":\d+\}$/));
  const ready = out.findIndex((l) => /INFO: demo ready$/.test(l));
  expect(ready).toBeGreaterThan(0);
  expect(out.slice(ready + 1, ready + 13)).toEqual([
    'Modest demo is ready. Open:',
    `  Sandbox messenger  https://127.0.0.1:${env.SANDBOX_PORT}/sandbox/`,
    expect.stringMatching(/^ {21}accept the certificate; as Ольга Кузнецова \(dispatcher\) open "Диспетчерская поддержки"/),
    `  Client cabinet     http://localhost:${env.HTTP_PORT}/`,
    '                     sign in as director@romashka.example or cto@acme.example, password demo-cabinet-2026',
    `  Operator panel     http://localhost:${env.HTTP_PORT}/panel`,
    '                     write /panel to the bot in the sandbox messenger for a sign-in link',
    `  Send us mail       ${path.join(dataDir, 'inbox')}`,
    expect.stringMatching(/^ {21}save an \.eml file here/),
    `  Mail we sent       ${path.join(dataDir, 'outbox')}`,
    expect.stringMatching(/^ {21}every mail to clients/),
    `  Health             http://127.0.0.1:${env.HTTP_PORT}/readyz`,
  ]);
  await stop();
}, 500_000);

test('auto: JSON unless stdout is a terminal', () => {
  expect(isPrettyLog('auto', false)).toBe(false);
  expect(isPrettyLog('auto', true)).toBe(true);
  expect(isPrettyLog('json', true)).toBe(false);
  expect(isPrettyLog('pretty', false)).toBe(true);
});
