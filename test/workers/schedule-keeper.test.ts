import crypto from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { ScheduleKeeper } from '../../workers/schedule-keeper.js';
import { eventually } from '../harness/wait.js';

// Readiness of a schedule: red when it stops firing, not while its runs are slow.

const EVERY_MS = 300;
let redis: Redis;
let queue: Queue;
let worker: Worker | undefined;
let keeper: ScheduleKeeper;
let release: () => void = () => {};
beforeAll(() => { redis = new Redis(process.env.TEST_REDIS_URL!, { maxRetriesPerRequest: null }); });
afterAll(() => redis?.disconnect());
beforeEach(async () => {
  const prefix = `sk${crypto.randomBytes(4).toString('hex')}`;
  queue = new Queue('bot', { connection: redis, prefix });
  keeper = new ScheduleKeeper(redis, prefix, 60_000, pino({ level: 'silent' }));
  await keeper.own({ queue, id: 'tick', repeat: { every: EVERY_MS }, watch: true, template: { name: 'tick', opts: { removeOnComplete: true } } });
});
afterEach(async () => {
  release();
  await worker?.close();
  worker = undefined;
  await queue.obliterate({ force: true });
  await queue.close();
});

/** One worker whose runs take as long as the test says (the bot announcing a backlog through a slow portal). */
function slowWorker(): { runs: () => number } {
  let runs = 0;
  worker = new Worker(queue.name, async () => {
    runs++;
    // Only the first run is slow; the ones after it are quick. Its release exists from the moment
    // the test can see the run started (a release called before it existed would be lost).
    const slow = runs === 1 ? new Promise<void>((r) => { release = r; }) : null;
    await keeper.ran('tick');
    await slow;
  }, { connection: redis, prefix: queue.opts.prefix, concurrency: 1 });
  return { runs: () => runs };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a schedule whose run is still at work is not reported as stopped', async () => {
  const w = slowWorker();
  await eventually('the first run started', async () => w.runs() === 1);
  // Far more than three intervals pass with this one run still going, and no other starting.
  await wait(EVERY_MS * 10);
  expect(w.runs()).toBe(1);
  const s = await keeper.status();
  expect(s.ok).toBe(true);
  expect(s.detail.tick.busySecondsAgo).toBeGreaterThan(0);
  // Once it is through, the schedule goes on firing.
  release();
  await eventually('the next run', async () => w.runs() >= 2);
});

test('a schedule nobody runs any more is reported after three intervals', async () => {
  const w = slowWorker();
  await eventually('the first run started', async () => w.runs() === 1);
  release();
  await eventually('the schedule firing again', async () => w.runs() >= 2);
  await worker!.close();
  worker = undefined;
  const down = await eventually('readiness red for the schedule', async () => {
    const s = await keeper.status();
    return s.ok ? null : s;
  });
  expect(down.detail.tick.busySecondsAgo).toBeUndefined();
  expect(down.detail.tick.missing).toBeUndefined();
});

test('a schedule that Redis forgot is reported even while a run is at work', async () => {
  const w = slowWorker();
  await eventually('the first run started', async () => w.runs() === 1);
  await queue.removeJobScheduler('tick');
  const down = await eventually('readiness red for the missing schedule', async () => {
    const s = await keeper.status();
    return s.ok ? null : s;
  });
  expect(down.detail.tick.missing).toBe(true);
});
