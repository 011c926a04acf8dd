import type { Page } from 'playwright-core';
import { signStaffLink, staffLink } from '../../bot/panel-links.js';
import { sampleRoles } from '../../sandbox/index.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage, type SandboxMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { openLinkIn, servePanel, startPanelApp, usePanelBrowser } from './panel-harness.js';

const { dispatcher, specialists, secondLine } = sampleRoles;
const specialist = specialists[0]; // Дмитрий Волков, 1st line
const env = usePanelBrowser(() => startPanelApp());

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const botDialog = () => String(env.ctx.bot.botId);
const secret = () => env.ctx.app.config.panel.linkSecret!;
let mails = 0;

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await env.browser.newContext({ viewport, locale: 'ru-RU' })).newPage();
  // A broken page shows up in the test's output, not only as a missing element.
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  return page;
}

/** A client mail, assigned by the dispatcher to the 1st line specialist with the bot's buttons; their card. */
async function assignedTicket(subject: string): Promise<{ number: number; card: SandboxMessage }> {
  await deliver(env.ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject, text: `${subject}: подробности`, messageId: `panel-${++mails}-${Date.now()}@romashka.example` })]);
  const { number } = await eventually(`ticket ${subject}`, async () =>
    (await env.ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]);
  const chat = await dispatchDialog(env.ctx);
  const dispatchCard = await waitForMessage(env.ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  click(env.ctx, dispatcher, dispatchCard, '1st line');
  const people = await eventually('employees', async () => {
    const m = messageNow(env.ctx, dispatcher, chat, dispatchCard.id)!;
    return buttonTexts(m).includes('Дмитрий Волков') ? m : null;
  });
  click(env.ctx, dispatcher, people, 'Дмитрий Волков');
  const card = await waitForMessage(env.ctx, specialist, botDialog(), (m) => m.text.startsWith('Вам назначено') && m.text.includes(`#${number}`));
  return { number, card };
}

describe.each(VIEWPORTS)('on a $name', ({ name, viewport }) => {
  test('the card\'s link signs the specialist in; a bot click shows live; reply with a file reaches the client; close with time updates the card', async () => {
    const subject = `Принтер ${name}`;
    const { number, card } = await assignedTicket(subject);
    // The card in the shared dispatch chat links without a token; the specialist's own card carries one.
    const page = await newPage(viewport);
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
    await page.goto(openLinkIn(card.text));
    await page.getByRole('heading', { name: `#${number} ${subject}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tickets/${number}`);
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('article', { name: /Письмо клиента/ }).getByText(`${subject}: подробности`).waitFor();

    // A click in the messenger (Accept) reaches the open page by itself.
    const loaded = navigations;
    click(env.ctx, specialist, card, 'Принять');
    await page.getByTestId('status').getByText('В работе').waitFor({ timeout: 15_000 });
    expect(navigations).toBe(loaded);

    // Reply with a file: it reaches the SMTP listener, in the thread, with the file.
    const before = env.ctx.smtp.received.length;
    await page.getByRole('textbox', { name: 'Ответ клиенту' }).fill('Проверили, прикладываем отчёт.');
    await page.getByLabel('Файлы').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('отчёт о проверке') });
    await page.getByRole('button', { name: 'Отправить клиенту' }).click();
    const mail = await eventually('the reply', async () => env.ctx.smtp.received.slice(before).find((m) => m.rcptTo.includes('olga@romashka.example')));
    expect(mail.mail.subject).toContain(`[#${number}]`);
    expect(mail.mail.text).toContain('Проверили, прикладываем отчёт.');
    expect(mail.mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['report.txt', 'отчёт о проверке']]);
    const reply = page.getByRole('article', { name: /Наш ответ/ });
    await reply.getByText('Проверили, прикладываем отчёт.').waitFor();
    await reply.getByRole('link', { name: 'report.txt' }).waitFor();

    // Close with time from the panel: the ticket is resolved and the bot's card loses its buttons.
    await page.getByRole('spinbutton', { name: 'Минут' }).fill('30');
    await page.getByRole('button', { name: 'Закрыть обращение' }).click();
    await page.getByTestId('status').getByText('Решено').waitFor();
    const updated = await eventually('the card updated', async () => {
      const m = messageNow(env.ctx, specialist, botDialog(), card.id)!;
      return /учтено 30 мин · оплачивается клиентом/.test(m.text) ? m : null;
    });
    expect(buttonTexts(updated)).toEqual([]);
    const [t] = await env.ctx.app.core.db.query<{ status: string; minutes: number }>(
      'select t.status, e.minutes from tickets t join time_entries e on e.ticket_id = t.id where t.number = $1', [number]);
    expect(t).toEqual({ status: 'resolved', minutes: 30 });
  }, 180_000);
});

test('a link past its lifetime, or used once already, is refused with how to get a new one', async () => {
  const { number } = await assignedTicket('Просроченная ссылка');
  const page = await newPage(VIEWPORTS[1].viewport);
  const old = signStaffLink(secret(), specialist, new Date(Date.now() - 20 * 60_000), 15 * 60_000);
  await page.goto(`${env.panel.url}/tickets/${number}?t=${old}`);
  await page.getByRole('alert').getByText('Ссылка для входа устарела или уже использована').waitFor();
  expect(await page.getByRole('heading', { name: new RegExp(`#${number}`) }).count()).toBe(0);
  expect((await fetch(`${env.panel.url}/api/panel/tickets/${number}`)).status).toBe(401);

  const link = staffLink({ publicUrl: env.panel.url, secret: secret(), lifetimeMs: 15 * 60_000 }, `/tickets/${number}`, specialist, new Date());
  const first = await newPage(VIEWPORTS[0].viewport);
  await first.goto(link);
  await first.getByRole('heading', { name: new RegExp(`#${number}`) }).waitFor();
  const again = await newPage(VIEWPORTS[0].viewport);
  await again.goto(link);
  await again.getByRole('alert').getByText('Ссылка для входа устарела или уже использована').waitFor();
}, 120_000);

test('restricted to departments, a specialist cannot open another department\'s ticket; the /panel command gives a link to the queue', async () => {
  const { number } = await assignedTicket('Чужой отдел');
  // Handed to a second-line colleague (as a reassignment would).
  await env.ctx.app.core.db.query(`update tickets set assignee_id = e.id, department_id = e.department_id from employees e
    where e.b24_user_id = $2 and tickets.number = $1`, [number, String(secondLine[0])]);
  const config = env.ctx.app.config;
  const restricted = await servePanel(env.ctx, { ...config, panel: { ...config.panel, restrictToDepartment: true } });
  try {
    const sign = (url: string) => staffLink({ publicUrl: url, secret: secret(), lifetimeMs: 60_000 }, `/tickets/${number}`, specialist, new Date());
    const page = await newPage(VIEWPORTS[1].viewport);
    await page.goto(sign(restricted.url));
    await page.getByRole('alert').getByText('Обращение не найдено или недоступно вам.').waitFor();
    expect(await page.getByRole('heading', { name: new RegExp(`#${number}`) }).count()).toBe(0);
    // Unrestricted, the same person sees it.
    const open = await newPage(VIEWPORTS[0].viewport);
    await open.goto(sign(env.panel.url));
    await open.getByRole('heading', { name: new RegExp(`#${number}`) }).waitFor();
  } finally {
    await restricted.close();
  }

  env.ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog(), text: '/panel' });
  const answer = await waitForMessage(env.ctx, specialist, botDialog(), /Панель оператора/);
  const link = /\[url=(http[^\]]+\/panel\?t=[^\]]+)\]/.exec(answer.text)![1];
  const queue = await newPage(VIEWPORTS[0].viewport);
  await queue.goto(link);
  await queue.getByRole('heading', { name: 'Очередь' }).waitFor();
  await queue.getByRole('link', { name: /Открыть обращение #\d+/ }).first().waitFor();
}, 120_000);

test('a dispatcher assigns a new ticket from the panel: the specialist gets the card, the dispatch card says who and by whom', async () => {
  const subject = 'Назначение из панели';
  await deliver(env.ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject, text: 'Нужна помощь', messageId: `panel-${++mails}-${Date.now()}@romashka.example` })]);
  const { number } = await eventually('the ticket', async () =>
    (await env.ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]);
  const chat = await dispatchDialog(env.ctx);
  const dispatchCard = await waitForMessage(env.ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  // In the shared chat the link carries no token: anyone reading the chat could use it.
  expect(dispatchCard.text).toContain(`[url=${env.panel.url}/tickets/${number}]Открыть[/url]`);

  const page = await newPage(VIEWPORTS[1].viewport);
  await page.goto(staffLink({ publicUrl: env.panel.url, secret: secret(), lifetimeMs: 60_000 }, `/tickets/${number}`, dispatcher, new Date()));
  const form = page.getByRole('form', { name: 'Назначить сотруднику' });
  await form.getByRole('combobox').click();
  await page.getByRole('option', { name: /Дмитрий Волков/ }).click();
  await form.getByRole('button', { name: 'Назначить' }).click();
  await page.getByTestId('status').getByText('Назначено').waitFor();
  await waitForMessage(env.ctx, specialist, botDialog(), (m) => m.text.startsWith('Вам назначено') && m.text.includes(`#${number}`));
  await eventually('the dispatch card updated', async () =>
    /Назначено: Дмитрий Волков \(назначила Ольга Кузнецова/.test(messageNow(env.ctx, dispatcher, chat, dispatchCard.id)!.text) || null);
  expect(buttonTexts(messageNow(env.ctx, dispatcher, chat, dispatchCard.id)!)).toEqual([]);
}, 120_000);

test('escalated from the panel, the developer gets a task; their comment appears on the open page, marked', async () => {
  const { number, card } = await assignedTicket('Эскалация из панели');
  const page = await newPage(VIEWPORTS[0].viewport);
  await page.goto(openLinkIn(card.text));
  const form = page.getByRole('form', { name: 'Передать разработчику' });
  await form.getByRole('combobox').click();
  await page.getByRole('option').first().click();
  await form.getByRole('button', { name: 'Создать задачу' }).click();
  await page.getByTestId('status').getByText('У разработчика').waitFor();
  const task = await eventually('the task', async () => env.ctx.sandbox.tasks().find((t) => String(t.title).startsWith(`#${number} `)));
  const developer = Number(task.responsibleId);
  expect(sampleRoles.developers).toContain(developer);
  env.ctx.sandbox.commentTask({ userId: developer, taskId: Number(task.id), text: 'Нашёл причину, исправляю.' });
  await page.getByRole('article', { name: /Комментарий разработчика/ }).getByText('Нашёл причину, исправляю.').waitFor({ timeout: 30_000 });
}, 120_000);
