import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

// The bot pulls its events (webhook mode, eventMode "fetch"). Its idle pace here is an hour: a
// click is seen within this test only because the bot showed buttons (and people clicked), which
// sets the active pace for every process of ours.
const { dispatcher } = sampleRoles;
let ctx: SandboxApp;
beforeAll(async () => {
  ctx = await startSandboxApp({ B24_EVENT_POLL_SECONDS: '3600', B24_EVENT_POLL_ACTIVE_SECONDS: '0.3', B24_EVENT_ACTIVE_WINDOW_SECONDS: '600' });
}, 300_000);
afterAll(async () => { await ctx.close(); });

const attentionKey = () => `${ctx.app.config.redis.queuePrefix}:b24:attention`;

test('after the bot shows buttons, the clicks on them are heard at the active pace, not the idle one', async () => {
  expect(await ctx.app.core.redis.exists(attentionKey())).toBe(0);
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject: 'Не работает сканер', text: 'Сканер молчит.', messageId: 'attn1@romashka.example' })]);
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, dispatcher, chat, /Не работает сканер/);
  expect(await ctx.app.core.redis.exists(attentionKey())).toBe(1);

  click(ctx, dispatcher, card, '1st line');
  const people = await eventually('the employees of the 1st line', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return buttonTexts(m).includes('Дмитрий Волков') ? m : null;
  });
  click(ctx, dispatcher, people, 'Дмитрий Волков');
  await eventually('the assignment shown', async () => /Назначено: Дмитрий Волков/.test(messageNow(ctx, dispatcher, chat, card.id)!.text));
}, 120_000);
