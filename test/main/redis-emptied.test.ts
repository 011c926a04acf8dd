import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startLocalRedis, type LocalRedis } from '../../main/local-redis.js';
import { sampleRoles } from '../../sandbox/index.js';
import { BOT_TICK } from '../../workers/bot-tick.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { serveHealth, type TestHealthServer } from '../harness/health.js';
import { clientMail, dispatchDialog, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher } = sampleRoles;
let redis: LocalRedis;
let ctx: SandboxApp;
let health: TestHealthServer;

// A Redis of its own: this test empties it.
beforeAll(async () => {
  redis = await startLocalRedis(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-redis-flush-')));
  // The timer that looks for missing schedulers is set far out, so the test sees the gap and
  // then brings them back the other way: Redis coming back (a reconnect).
  ctx = await startSandboxApp({ REDIS_URL: redis.url, SCHEDULE_CHECK_SECONDS: '3600', OUTBOX_SWEEP_SECONDS: '1' });
  health = await serveHealth(ctx.app.core.checks);
}, 180_000);
afterAll(async () => {
  await health.close();
  await ctx.close();
  await redis.stop();
});

const readyz = () => health.readyz<{ checks: { schedules: { ok: boolean; detail: Record<string, { missing?: true }> } } }>();

const ticketNumber = (subject: string) => eventually(`ticket "${subject}"`, async () =>
  (await ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]?.number);

test('Redis flushed while running: readiness reports the missing schedule until it is back, and new tickets still reach the dispatch chat', async () => {
  const chat = await dispatchDialog(ctx);
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject: 'До сброса', text: 'Первое.', messageId: 'f1@romashka.example' })]);
  await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${await ticketNumber('До сброса')}\\b`));
  expect((await readyz()).status).toBe(200);

  await ctx.app.core.redis.flushall();
  const down = await eventually('readiness red for the bot tick', async () => {
    const r = await readyz();
    return r.status === 503 ? r : null;
  });
  expect(down.body.checks.schedules.ok).toBe(false);
  expect(down.body.checks.schedules.detail[BOT_TICK].missing).toBe(true);

  // As after a restart without persistence: every client's connection drops and comes back.
  const admin = new Redis(redis.url);
  await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
  admin.disconnect();
  const up = await eventually('readiness green again', async () => {
    const r = await readyz();
    return r.status === 200 ? r : null;
  }, 30_000);
  expect(up.body.checks.schedules.detail[BOT_TICK].missing).toBeUndefined();

  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject: 'После сброса', text: 'Второе.', messageId: 'f2@romashka.example' })]);
  const number = await ticketNumber('После сброса');
  await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`), 60_000);
}, 120_000);
