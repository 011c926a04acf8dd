import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exited, kill9, spawnEntry } from '../harness/processes.js';
import { freePort } from '../../main/free-port.js';
import { eventually } from '../harness/wait.js';

// Stopping the demo as people do: Ctrl-C in a terminal, a service manager or `timeout` signal
// the whole process group, the demo's private redis-server included. The demo (with its own
// Redis here, as `npm start` runs it) must still stop gracefully, at once, with nothing failing.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-demo-stop-'));
const pidFile = path.join(dataDir, 'redis', 'redis.pid');
let env: Record<string, string>;
let running: ReturnType<typeof spawnEntry> | null = null;
beforeAll(async () => {
  env = { DATA_DIR: dataDir, HTTP_PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()), LOG_LEVEL: 'info' };
});

/** Its exit code, or 'still running' a minute after the signal (a stop that hangs). */
const stopped = (child: ReturnType<typeof spawnEntry>) => Promise.race([exited(child),
  new Promise<string>((resolve) => { setTimeout(() => resolve('still running'), 60_000).unref(); })]);
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const redisPid = () => Number(fs.readFileSync(pidFile, 'utf8').trim());

afterAll(async () => {
  if (running) await kill9(running);
  if (fs.existsSync(pidFile) && alive(redisPid())) process.kill(redisPid(), 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startDemo(): Promise<ReturnType<typeof spawnEntry>> {
  const child = spawnEntry('demo', env, { ownGroup: true });
  running = child;
  // Ready, and done saying so: the last address it prints is the health check.
  await eventually('the demo ready', async () => {
    if (child.exitCode !== null) throw new Error(`demo exited: ${child.output.join('')}`);
    return child.output.join('').includes('"msg":"open: Health"');
  }, 300_000).catch((err: Error) => { throw new Error(`${err.message}\n${child.output.join('').slice(-3000)}`); });
  return child;
}

test('SIGTERM to the whole process group: a graceful stop, exit code 0, no errors, and its Redis stopped after it', async () => {
  const demo = await startDemo();
  const redis = fs.existsSync(pidFile) ? redisPid() : null;
  const from = demo.output.length;
  process.kill(-demo.pid!, 'SIGTERM');
  expect(await stopped(demo)).toBe(0);
  running = null;
  const after = demo.output.slice(from).join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(after.map((l) => l.msg)).toEqual(['shutting down', 'stopped']);
  expect(redis).not.toBeNull();
  await eventually('the demo\'s redis-server gone', async () => !alive(redis!), 10_000);
}, 400_000);

test('a Redis left running by a demo killed outright is stopped by the next start, which then comes up', async () => {
  const first = await startDemo();
  const leftover = redisPid();
  await kill9(first);
  expect(alive(leftover)).toBe(true);
  const second = await startDemo();
  expect(alive(leftover)).toBe(false);
  expect(redisPid()).not.toBe(leftover);
  process.kill(-second.pid!, 'SIGTERM');
  expect(await stopped(second)).toBe(0);
  running = null;
}, 600_000);
