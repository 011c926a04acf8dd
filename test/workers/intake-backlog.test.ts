import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { makeBacklogAnnouncer, makeHoldForIntake } from '../../workers/intake-backlog.js';

let redis: Redis;
let prefix: string;
beforeAll(() => { redis = new Redis(process.env.TEST_REDIS_URL!); });
afterAll(() => redis?.disconnect());
beforeEach(() => { prefix = `t${crypto.randomBytes(4).toString('hex')}`; });

/** Milliseconds until `p` settles. */
async function msUntil(p: Promise<void>): Promise<number> {
  const t0 = Date.now();
  await p;
  return Date.now() - t0;
}

test('outgoing mail goes at once when no intake works through a backlog', async () => {
  expect(await msUntil(makeHoldForIntake(redis, prefix, 10_000)())).toBeLessThan(1000);
});

test('outgoing mail waits while an intake works through a backlog, and goes once it is through', async () => {
  const announce = makeBacklogAnnouncer(redis, prefix);
  await announce('support', 950);
  await announce('sales', 60);
  const hold = makeHoldForIntake(redis, prefix, 60_000);
  let released = false;
  const sending = hold().then(() => { released = true; });
  await new Promise((r) => setTimeout(r, 600));
  await announce('support', 0);
  await new Promise((r) => setTimeout(r, 400));
  expect(released).toBe(false); // the other mailbox is still busy
  await announce('sales', 0);
  expect(await msUntil(sending)).toBeLessThan(1000);
});

test('a long backlog holds outgoing mail for the set time only, then no more', async () => {
  await makeBacklogAnnouncer(redis, prefix)('support', 100_000);
  const hold = makeHoldForIntake(redis, prefix, 1500);
  const first = await msUntil(hold());
  expect(first).toBeGreaterThanOrEqual(1400);
  expect(first).toBeLessThan(5000);
  // The backlog goes on, but outgoing mail has waited its time: later sends go at once.
  expect(await msUntil(hold())).toBeLessThan(500);
});
