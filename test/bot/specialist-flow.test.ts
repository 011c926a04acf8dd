import nodemailer from 'nodemailer';
import { WORD_JOINER as WJ } from '../../bot/escape-bb.js';
import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { assignFromDispatchCard, buttonTexts, click, clientMail, messageNow, waitForMessage, type SandboxMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { specialists, developers } = sampleRoles;
const specialist = specialists[0]; // Дмитрий Волков, 1st line
let ctx: SandboxApp;
let botDialog: string;
beforeAll(async () => {
  ctx = await startSandboxApp({
    BOT_TASK_POLL_SECONDS: '1', REOPEN_DAYS: '14',
    // Our signature under the specialist's name, per language (`\n` for a line break, as in .env).
    MAIL_SIGNATURE_RU: 'Служба поддержки Modest\\nтел. +7 495 000-00-00', MAIL_SIGNATURE_EN: 'Modest support team\\nphone +7 495 000-00-00',
  });
  botDialog = String(ctx.bot.botId);
  // PGlite's first start (WASM, every migration) takes long on a busy machine.
}, 180_000);
afterAll(async () => { await ctx.close(); });

const db = () => ctx.app.core.db;
const ticketOf = async (subject: string) => eventually(`ticket "${subject}"`, async () =>
  (await db().query<{ id: number; number: number; status: string }>('select id, number, status from tickets where subject = $1', [subject]))[0]);

/** A client mail, assigned by the dispatcher to the specialist through the buttons; returns the specialist's card. */
async function assignedTicket(subject: string, messageId: string): Promise<{ number: number; card: SandboxMessage }> {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject, text: `${subject}: подробности`, messageId })]);
  const { number } = await ticketOf(subject);
  const card = await assignFromDispatchCard(ctx, number, '1st line', { id: specialist, name: 'Дмитрий Волков' });
  return { number, card };
}

/** Waits until the message has the given button, then clicks it. */
async function clickWhenShown(m: SandboxMessage, text: string): Promise<void> {
  const now = await eventually(`button ${text}`, async () => {
    const fresh = messageNow(ctx, specialist, botDialog, m.id);
    return fresh && buttonTexts(fresh).includes(text) ? fresh : null;
  });
  click(ctx, specialist, now, text);
}

test('Accept, then Reply: the next message is mailed to the client in the thread, and the bot confirms', async () => {
  const { number, card } = await assignedTicket('Не открывается отчёт', 'rep1@romashka.example');
  await clickWhenShown(card, 'Принять');
  await eventually('accepted', async () => (await ticketOf('Не открывается отчёт')).status === 'in_progress');
  await clickWhenShown(card, 'Ответить');
  const prompt = await waitForMessage(ctx, specialist, botDialog, new RegExp(`ответ клиенту по #${number}`));
  expect(buttonTexts(prompt)).toEqual(['Отмена']);
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: 'Добрый день! Переустановите, пожалуйста, [b]драйвер[/b].' });
  await waitForMessage(ctx, specialist, botDialog, (m) => m.id !== prompt.id && m.text === `Ответ по #${number} отправлен: olga@romashka.example`);
  // The reply is out: the prompt says so and its Cancel is gone.
  await eventually('the prompt closed', async () => {
    const now = messageNow(ctx, specialist, botDialog, prompt.id)!;
    return buttonTexts(now).length === 0 && now.text === `Ответ по #${number} отправлен: olga@romashka.example`;
  });
  const mail = await eventually('the reply mail', async () => ctx.smtp.received.find((r) => r.mail.subject === `Re: [#${number}] Не открывается отчёт`));
  expect(mail.rcptTo).toEqual(['olga@romashka.example']);
  expect(mail.mail.inReplyTo).toBe('<rep1@romashka.example>');
  // The whole thread, our acknowledgement included, so every mail program keeps one conversation.
  const [ack] = await db().query<{ message_id: string }>(`select message_id from messages where kind = 'ack' and in_reply_to = 'rep1@romashka.example'`);
  expect(mail.mail.references).toEqual([`<${ack.message_id}>`, '<rep1@romashka.example>']);
  // Signed by the specialist, then our company.
  expect(mail.mail.text?.trimEnd()).toBe('Добрый день! Переустановите, пожалуйста, драйвер.\n\n-- \nДмитрий Волков\nСлужба поддержки Modest\nтел. +7 495 000-00-00');

  // `#1042 text` answers without pressing Reply.
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: `#${number} И перезагрузите компьютер.` });
  const second = await eventually('the second reply', async () => ctx.smtp.received.find((r) => r.mail.text?.includes('И перезагрузите компьютер.')));
  // The chain grows: our acknowledgement, our first reply, then the client's mail it answers.
  expect(second.mail.references).toEqual([`<${ack.message_id}>`, String(mail.mail.messageId), '<rep1@romashka.example>']);
}, 90_000);

test('a client who writes in English is answered in English: the reply under our English signature, the resolution mail too', async () => {
  const subject = 'Printer prints blank pages';
  await deliver(ctx.t.mailboxUser, [clientMail({
    from: 'John Doe <john@acme-en.example>', subject, text: 'Hello, our office printer prints blank pages since Monday.', messageId: 'en1@acme-en.example',
  })]);
  const { number } = await ticketOf(subject);
  const card = await assignFromDispatchCard(ctx, number, '1st line', { id: specialist, name: 'Дмитрий Волков' });
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: `#${number} Please reinstall the printer driver.` });
  const reply = await eventually('the reply', async () => ctx.smtp.received.find((r) => r.mail.subject === `Re: [#${number}] ${subject}`));
  expect(reply.mail.text?.trimEnd()).toBe('Please reinstall the printer driver.\n\n-- \nДмитрий Волков\nModest support team\nphone +7 495 000-00-00');
  await clickWhenShown(card, 'Закрыть');
  await clickWhenShown(card, '30 мин');
  await clickWhenShown(card, 'Оплачивается');
  const resolved = await eventually('the resolved mail', async () => ctx.smtp.received.find((r) => r.mail.subject === `[#${number}] ${subject}`
    && r.rcptTo.includes('john@acme-en.example') && !r.mail.text?.includes('registered')));
  expect(resolved.mail.text).toContain(`Ticket #${number} "${subject}" is resolved.`);
}, 90_000);

test('a new question replaces an open one: the old prompt loses its Cancel, so it cannot cancel the new one', async () => {
  const { number, card } = await assignedTicket('Не печатает принтер', 'prm1@romashka.example');
  await clickWhenShown(card, 'Ответить');
  const asks = new RegExp(`ответ клиенту по #${number}`);
  const first = await waitForMessage(ctx, specialist, botDialog, asks);
  await clickWhenShown(card, 'Ответить');
  const second = await waitForMessage(ctx, specialist, botDialog, (m) => m.id !== first.id && asks.test(m.text));
  await eventually('the first prompt replaced', async () => {
    const now = messageNow(ctx, specialist, botDialog, first.id)!;
    return buttonTexts(now).length === 0 && now.text === 'Отменено.';
  });
  expect(buttonTexts(messageNow(ctx, specialist, botDialog, second.id)!)).toEqual(['Отмена']);
  // The open question is the second one: the next message is the reply.
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: 'Проверьте кабель принтера.' });
  await eventually('the reply mail', async () => ctx.smtp.received.find((r) => r.mail.text?.includes('Проверьте кабель принтера.')));
}, 90_000);

test('a client\'s next mail reaches the assignee with its files by name and size and a link to the ticket\'s page', async () => {
  const { number } = await assignedTicket('Не грузится каталог', 'att1@romashka.example');
  const screenshot = Buffer.alloc(2_560, 1);
  const raw = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: 'Olga <olga@romashka.example>', to: 'support@modest.example', subject: `Re: [#${number}] Не грузится каталог`,
    messageId: '<att2@romashka.example>', inReplyTo: '<att1@romashka.example>', text: 'Прикладываю скриншот.',
    attachments: [{ filename: 'скрин [1].png', content: screenshot, contentType: 'image/png' }],
  });
  await deliver(ctx.t.mailboxUser, [raw.message as Buffer]);
  const notice = await waitForMessage(ctx, specialist, botDialog, (m) => m.text.startsWith(`Новое письмо клиента по #${number}:`));
  const lines = notice.text.split('\n');
  expect(lines).toContain('>>Прикладываю скриншот.');
  expect(lines).toContain(`Вложения: скрин [${WJ}1].png (2,5 КБ)`);
  expect(lines.at(-1)).toMatch(new RegExp(`^\\[url=https?://[^\\]]+/tickets/${number}(\\?t=[^\\]]+)?\\]Открыть\\[/url\\]$`));
}, 90_000);

test('Escalate opens a task; the developer\'s comment reaches the ticket and the specialist; completion is announced', async () => {
  const { number, card } = await assignedTicket('Ошибка синхронизации 1С', 'esc1@romashka.example');
  await clickWhenShown(card, 'Разработчику');
  await clickWhenShown(card, 'Павел Соколов');
  const created = await waitForMessage(ctx, specialist, botDialog, new RegExp(`По #${number} создана задача (\\d+) для Павла Соколова`));
  const taskId = Number(/задача (\d+)/.exec(created.text)![1]);
  const task = ctx.sandbox.tasks().find((t) => Number(t.id) === taskId)!;
  // The marker lets a creation retried after Redis lost its answer find this task (tasks.ts).
  expect(task.title).toMatch(new RegExp(`^#${number} Ошибка синхронизации 1С \\(ref [0-9a-f]{8}\\)$`));
  expect(String(task.responsibleId)).toBe(String(developers[0]));
  expect((task.auditors as unknown[]).map(String)).toEqual(expect.arrayContaining([String(specialist), '1']));
  expect(String(task.description)).toContain('Ошибка синхронизации 1С: подробности');
  expect((await ticketOf('Ошибка синхронизации 1С')).status).toBe('escalated');

  ctx.sandbox.commentTask({ userId: developers[0], taskId, text: 'Нашёл причину: истекла лицензия обмена' });
  await waitForMessage(ctx, specialist, botDialog, (m) => m.text.includes(`Павел Соколов прокомментировал задачу по #${number}:`)
    && m.text.includes('истекла лицензия обмена'), 60_000);
  const { id } = await ticketOf('Ошибка синхронизации 1С');
  const notes = await db().query<{ body_text: string }>(`select body_text from messages where ticket_id = $1 and direction = 'note'`, [id]);
  expect(notes).toEqual([{ body_text: 'Павел Соколов: Нашёл причину: истекла лицензия обмена' }]);

  ctx.sandbox.completeTask({ userId: developers[0], taskId });
  await waitForMessage(ctx, specialist, botDialog, new RegExp(`Задача ${taskId} по #${number} выполнена`), 30_000);
  expect((await ticketOf('Ошибка синхронизации 1С')).status).toBe('in_progress');
}, 120_000);

test('Close with a quick button records the time and billable flag, mails "resolved", and a client reply reopens', async () => {
  const { number, card } = await assignedTicket('Настроить почту', 'close1@romashka.example');
  await clickWhenShown(card, 'Закрыть');
  await clickWhenShown(card, '1 ч 30 мин');
  await clickWhenShown(card, 'Наша ошибка — бесплатно');
  await eventually('resolved', async () => (await ticketOf('Настроить почту')).status === 'resolved');
  const { id } = await ticketOf('Настроить почту');
  expect(await db().query('select minutes, billable from time_entries where ticket_id = $1', [id])).toEqual([{ minutes: 90, billable: false }]);
  // The card tells what happened, and only that.
  const closed = await eventually('the closing shown', async () => {
    const m = messageNow(ctx, specialist, botDialog, card.id)!;
    return m.text.startsWith('Обращение закрыто') ? m : null;
  });
  expect(closed.text).toMatch(/Статус: решено\nЗакрыто в \d\d\.\d\d \d\d:\d\d · учтено 1 ч 30 мин · бесплатно для клиента \(наша ошибка\)$/);
  expect(closed.text).not.toContain('Вам назначено');
  expect(buttonTexts(closed)).toEqual([]);
  const resolved = await eventually('the resolved mail', async () => ctx.smtp.received.find((r) =>
    r.mail.subject === `[#${number}] Настроить почту` && r.mail.text?.includes('решено')));
  expect(resolved.mail.headers.get('auto-submitted')).toBe('auto-replied');

  await deliver(ctx.t.mailboxUser, [clientMail({
    from: 'Olga <olga@romashka.example>', subject: `Re: [#${number}] Настроить почту`, text: 'Снова не работает.',
    messageId: 'close2@romashka.example', inReplyTo: String(resolved.mail.messageId).replace(/[<>]/g, ''),
  })]);
  await waitForMessage(ctx, specialist, botDialog, (m) => m.text.includes(`Клиент ответил — #${number} открыто снова.`) && m.text.includes('Снова не работает.'));
  expect((await ticketOf('Настроить почту')).status).toBe('in_progress');
  // The card no longer says closed: it is the open card again, with its buttons.
  const open = await eventually('the card open again', async () => {
    const m = messageNow(ctx, specialist, botDialog, card.id)!;
    return m.text.startsWith('Вам назначено обращение') ? m : null;
  });
  expect(open.text.split('\n').at(-1)).toBe('Статус: в работе');
  expect(buttonTexts(open)).toEqual(['Ответить', 'Разработчику', 'Закрыть', 'Передать']);
}, 90_000);

test.each([
  ['1ч20м', 80], ['1:20', 80], ['80', 80], ['1,5 ч', 90], ['1 ч 20 мин', 80],
])('Close with "Other" reads %s as %i minutes', async (typed, minutes) => {
  const subject = `Время ${typed}`;
  const { number, card } = await assignedTicket(subject, `time-${encodeURIComponent(typed)}@romashka.example`);
  await clickWhenShown(card, 'Закрыть');
  await clickWhenShown(card, 'Другое');
  const prompt = await waitForMessage(ctx, specialist, botDialog, new RegExp(`Напишите время по #${number}`));
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: 'полтора часа' });
  await waitForMessage(ctx, specialist, botDialog, /Не понял «полтора часа»\. Примеры: 1ч20м/);
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog, text: typed });
  const question = await waitForMessage(ctx, specialist, botDialog, (m) => m.text.startsWith(`#${number}:`) && m.text.includes('Оплачивается клиентом?'));
  // The time is in: the prompt's Cancel is gone, and Cancel could no longer undo anything.
  await eventually('the prompt closed', async () => buttonTexts(messageNow(ctx, specialist, botDialog, prompt.id)!).length === 0);
  await clickWhenShown(question, 'Оплачивается');
  const { id } = await ticketOf(subject);
  await eventually('time recorded', async () => (await db().query('select 1 from time_entries where ticket_id = $1', [id])).length > 0);
  expect(await db().query('select minutes, billable from time_entries where ticket_id = $1', [id])).toEqual([{ minutes, billable: true }]);
  expect((await ticketOf(subject)).status).toBe('resolved');
}, 90_000);
