import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startLocalRedis, type LocalRedis } from '../../main/local-redis.js';
import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher } = sampleRoles;
let redis: LocalRedis;
let ctx: SandboxApp;

// A Redis of its own: this test empties it.
beforeAll(async () => {
  redis = await startLocalRedis(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-redis-click-')));
  ctx = await startSandboxApp({ REDIS_URL: redis.url, SCHEDULE_CHECK_SECONDS: '1' });
}, 180_000);
afterAll(async () => {
  await ctx.close();
  await redis.stop();
});

test('a click taken from the portal but still queued when Redis comes back empty is applied all the same', async () => {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject: 'Клик до сброса', text: 'Текст.', messageId: 'w1@romashka.example' })]);
  const number = (await eventually('the ticket', async () =>
    (await ctx.app.core.db.query<{ number: number }>(`select number from tickets where subject = 'Клик до сброса'`))[0])).number;
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`));

  // Nobody handles events for a moment: the click is fetched (the portal's cursor moves past
  // it) and waits in Redis, which then comes back empty.
  const events = ctx.app.b24!.eventsQueue;
  await events.pause();
  click(ctx, dispatcher, card, '1st line');
  await eventually('the click queued in Redis', async () => (await events.getWaitingCount()) > 0);
  await ctx.app.core.redis.flushall();
  const admin = new Redis(redis.url);
  await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
  admin.disconnect();
  expect(await events.getWaitingCount()).toBe(0);

  const people = await eventually('the click applied: the card lists the 1st line', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return buttonTexts(m).includes('Дмитрий Волков') ? m : null;
  }, 90_000);
  expect(buttonTexts(people)).toContain('« Назад');
}, 150_000);
