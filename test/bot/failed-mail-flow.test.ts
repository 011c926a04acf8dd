import { sampleRoles } from '../../sandbox/index.js';
import type { SandboxApp } from '../harness/sandbox-app.js';
import { SmtpSink } from '../harness/smtp-sink.js';
import { deliver, makeTestEnv, startApp, withSandbox } from '../harness/app.js';
import { startTestSandbox } from '../harness/test-portal.js';
import { buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher, specialists } = sampleRoles;
const specialist = specialists[0];
const specialistName = 'Дмитрий Волков'; // 1st line
let ctx: SandboxApp;
// On PostgreSQL rather than startSandboxApp's PGlite: the flow needs no second engine, and starts faster.
beforeAll(async () => {
  const sandbox = await startTestSandbox();
  const smtp = await SmtpSink.start();
  const t = withSandbox(await makeTestEnv({ smtp }), sandbox);
  const app = await startApp(t);
  ctx = {
    sandbox, smtp, t, app, bot: await app.b24!.bot, restart: async () => {},
    close: async () => { await app.stop(); await smtp.down(); await sandbox.close(); },
  };
}, 60_000);
afterAll(async () => { await ctx.close(); });

const db = () => ctx.app.core.db;

test('mail the relay refuses for good shows on the cards, on the step the dispatcher has open, and the assignee is told when their reply bounces', async () => {
  ctx.smtp.refuse.set('gone@romashka.example', 550);
  // The relay answers only once the dispatcher has opened a department on the card.
  let answer!: () => void;
  ctx.smtp.hold.set('gone@romashka.example', new Promise<void>((r) => { answer = r; }));
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Ушедший <gone@romashka.example>', subject: 'Не печатает принтер', text: 'Совсем.',
    messageId: 'gone-1@romashka.example' })]);
  const { number } = await eventually('the ticket', async () =>
    (await db().query<{ number: number }>(`select number from tickets where subject = 'Не печатает принтер'`))[0]);
  const chat = await dispatchDialog(ctx);
  const dispatchCard = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  click(ctx, dispatcher, dispatchCard, '1st line');
  await eventually('the department\'s people', async () => buttonTexts(messageNow(ctx, dispatcher, chat, dispatchCard.id)!).includes(specialistName));
  ctx.smtp.hold.delete('gone@romashka.example');
  answer();

  // The warning is drawn on the step the dispatcher is on: the people stay under their finger.
  const warned = await eventually('the warning on the dispatch card', async () => {
    const m = messageNow(ctx, dispatcher, chat, dispatchCard.id)!;
    return m.text.includes('⚠ Письмо клиенту не доставлено: gone@romashka.example') ? m : null;
  });
  expect(buttonTexts(warned)).toContain(specialistName);
  click(ctx, dispatcher, warned, specialistName);
  const botDialog = String(ctx.bot.botId);
  const card = await waitForMessage(ctx, specialist, botDialog, (m) => m.text.startsWith('Вам назначено') && m.text.includes(`#${number}`));
  expect(card.text).toContain('⚠ Письмо клиенту не доставлено: gone@romashka.example');

  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: `#${number} Проверьте кабель, пожалуйста.` });
  const told = await waitForMessage(ctx, specialist, botDialog, new RegExp(`Письмо по #${number} не доставлено \\(gone@romashka\\.example\\): 550`));
  expect(told.text).toContain('Повторов не будет');
  const rows = await db().query<{ kind: string; send_state: string }>(
    `select kind, send_state from messages where direction = 'out' and to_addresses = '{gone@romashka.example}' order by id`);
  expect(rows).toEqual([{ kind: 'ack', send_state: 'failed' }, { kind: 'reply', send_state: 'failed' }]);
}, 90_000);

test('a ticket a robot opened says so on the dispatch card', async () => {
  await deliver(ctx.t.mailboxUser, [[
    'From: Mail Delivery System <MAILER-DAEMON@mx.romashka.example>', 'To: support@modest.example', 'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <dsn-1@mx.romashka.example>', 'Content-Type: text/plain; charset=us-ascii', '', 'This is the mail system.', '',
  ].join('\r\n')]);
  const { number } = await eventually('the ticket', async () =>
    (await db().query<{ number: number }>(`select number from tickets where subject = 'Undelivered Mail Returned to Sender'`))[0]);
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  expect(card.text).toContain('⚙ Автоматическое письмо (отчёт о недоставке): клиенту ничего не отправлялось.');
}, 60_000);
