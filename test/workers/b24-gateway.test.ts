import crypto from 'node:crypto';
import { Queue, Worker, type QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { b24Gateway, openCallEvents } from '../../workers/b24-gateway.js';
import type { B24CallJob, B24CallResult } from '../../workers/jobs.js';
import type { Sandbox } from '../../sandbox/index.js';
import { makeTestEnv, withSandbox, type TestEnv } from '../harness/app.js';
import { startTestSandbox } from '../harness/test-portal.js';
import { SmtpSink } from '../harness/smtp-sink.js';
import { exited, kill9, spawnEntry } from '../harness/processes.js';
import { eventually } from '../harness/wait.js';
import { freePort } from '../../main/free-port.js';

// The call queue's waiting side: a caller gets its answer however the finish reaches it.

let redis: Redis;
let queue: Queue<B24CallJob>;
let events: QueueEvents | undefined;
let worker: Worker<B24CallJob, B24CallResult> | undefined;
/** The events connection of a test (BullMQ leaves a connection it was given open). */
let eventsRedis: Redis | undefined;
const listen = async () => {
  eventsRedis = redis.duplicate();
  return openCallEvents(queue, eventsRedis, { autorun: false });
};
beforeAll(() => { redis = new Redis(process.env.TEST_REDIS_URL!, { maxRetriesPerRequest: null }); });
afterAll(() => redis?.disconnect());
beforeEach(() => { queue = new Queue(`b24-calls-${crypto.randomBytes(4).toString('hex')}`, { connection: redis, prefix: 'gw' }); });
afterEach(async () => {
  await worker?.close();
  await events?.close();
  eventsRedis?.disconnect();
  await queue.obliterate({ force: true });
  await queue.close();
  worker = undefined;
  events = undefined;
  eventsRedis = undefined;
});

/** A processor that answers every call with its own method name, as the portal would answer. */
const answering = () => new Worker<B24CallJob, B24CallResult>(queue.name,
  async (job) => ({ ok: true, result: { answered: job.data.method } }), { connection: redis, prefix: 'gw' });

test('a process that starts listening after its call was answered still hears the answer', async () => {
  // The events connection is opened, but (as in a process still starting) reads nothing yet.
  events = await listen();
  worker = answering();
  const job = await queue.add('imbot.v2.Bot.register', { key: 'k1', method: 'imbot.v2.Bot.register', params: {} }, { jobId: 'b24-k1' });
  await eventually('the call answered', async () => (await queue.getJobState(job.id!)) === 'completed');
  const heard = new Promise((resolve) => events!.on('completed', (args) => { if (args.jobId === job.id) resolve(args.returnvalue); }));
  void events.run();
  expect(await heard).toEqual({ ok: true, result: { answered: 'imbot.v2.Bot.register' } });
});

test('a call whose finish is never heard still returns its answer, taken from the job', async () => {
  // Nobody reads the event stream at all: the answer can only come from the job itself.
  events = await listen();
  worker = answering();
  const b24 = b24Gateway(queue, events, 60_000);
  expect((await b24.call('imbot.v2.Bot.register', {})).result).toEqual({ answered: 'imbot.v2.Bot.register' });
});

test('a call the portal refused, never heard either, is refused to the caller too', async () => {
  events = await listen();
  worker = new Worker<B24CallJob, B24CallResult>(queue.name,
    async () => ({ ok: false, code: 'ACCESS_DENIED', description: 'no' }), { connection: redis, prefix: 'gw' });
  const b24 = b24Gateway(queue, events, 60_000);
  await expect(b24.call('imbot.v2.Chat.Message.send', {})).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
});

describe('a worker killed while its bot registration is in flight', () => {
  let sandbox: Sandbox;
  let smtp: SmtpSink;
  let t: TestEnv;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    smtp = await SmtpSink.start();
    t = withSandbox(await makeTestEnv({ smtp, engine: 'postgres' }), sandbox, { JOB_LOCK_SECONDS: '2' });
  });
  afterAll(async () => {
    await smtp.down();
    await sandbox.close();
  });

  test('comes back ready, with one bot on the portal', async () => {
    // Dies right after the portal registered the bot, before the answer is stored.
    const armed = spawnEntry('worker', { ...t.env, MODEST_CRASH_AT: 'after-portal-acted' });
    expect(await exited(armed)).toBe(137);
    const port = await freePort();
    const again = spawnEntry('worker', { ...t.env, HEALTH_PORT: String(port) });
    try {
      await eventually('the restarted worker ready', async () =>
        (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 90_000);
      expect(sandbox.bots().filter((b) => (b as { code?: string }).code === t.env.B24_BOT_CODE)).toHaveLength(1);
    } finally {
      await kill9(again);
    }
  }, 120_000);
});
