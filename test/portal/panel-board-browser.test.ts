import type { Page } from 'playwright-core';
import { staffLink } from '../../bot/panel-links.js';
import { sampleRoles } from '../../sandbox/index.js';
import { deliver } from '../harness/app.js';
import { assignFromDispatchCard, buttonTexts, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { servePanel, staffApi, startPanelApp, usePanelBrowser } from './panel-harness.js';

const { dispatcher, specialists, secondLine } = sampleRoles;
const specialist = specialists[0]; // Дмитрий Волков, 1st line
const env = usePanelBrowser(() => startPanelApp());

const botDialog = () => String(env.ctx.bot.botId);
let mails = 0;

async function newTicket(subject: string): Promise<number> {
  await deliver(env.ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject, text: `${subject}: подробности`, messageId: `board-${++mails}-${Date.now()}@romashka.example` })]);
  const { number } = await eventually(`ticket ${subject}`, async () =>
    (await env.ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]);
  return Number(number);
}

async function boardPage(userId: number, viewport: { width: number; height: number }, url = env.panel.url): Promise<Page> {
  const page = await (await env.browser.newContext({ viewport, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  await page.goto(staffLink({ publicUrl: url, secret: env.ctx.app.config.panel.linkSecret!, lifetimeMs: 60_000 }, '/panel/board', userId, new Date()));
  await page.getByRole('heading', { name: 'Доска' }).waitFor();
  return page;
}

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('on a desktop, a dispatcher drags a new ticket: a refused column snaps it back with why; "assigned" asks whom, and the bot\'s cards follow', async () => {
  const subject = 'Доска: назначение';
  const number = await newTicket(subject);
  const chat = await dispatchDialog(env.ctx);
  const dispatchCard = await waitForMessage(env.ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  const page = await boardPage(dispatcher, { width: 1280, height: 800 });
  const card = column(page, 'Новое').getByRole('article', { name: `#${number} ${subject}` });
  await card.waitFor();

  await card.dragTo(column(page, 'Решено'));
  await page.getByRole('alert').getByText(`Обращение #${number} нельзя перенести из «Новое» в «Решено».`).waitFor();
  await column(page, 'Новое').getByRole('article', { name: `#${number} ${subject}` }).waitFor();
  expect(await column(page, 'Решено').getByRole('article', { name: `#${number} ${subject}` }).count()).toBe(0);
  expect((await env.ctx.app.core.db.query<{ status: string }>('select status from tickets where number = $1', [number]))[0].status).toBe('new');

  await card.dragTo(column(page, 'Назначено'));
  const form = page.getByRole('form', { name: 'Перенести обращение' });
  await form.getByRole('combobox').click();
  await page.getByRole('option', { name: /Дмитрий Волков/ }).click();
  await form.getByRole('button', { name: 'Перенести' }).click();
  await column(page, 'Назначено').getByRole('article', { name: `#${number} ${subject}` }).waitFor();
  await waitForMessage(env.ctx, specialist, botDialog(), (m) => m.text.startsWith('Вам назначено') && m.text.includes(`#${number}`));
  await eventually('the dispatch card updated', async () =>
    /Назначено: Дмитрий Волков \(назначила Ольга Кузнецова/.test(messageNow(env.ctx, dispatcher, chat, dispatchCard.id)!.text) || null);
  expect(buttonTexts(messageNow(env.ctx, dispatcher, chat, dispatchCard.id)!)).toEqual([]);
}, 180_000);

test('on a 390 px phone, one stage shows at a time; the specialist moves their ticket with "Move to…" and the bot card asks for the time', async () => {
  const subject = 'Доска: телефон';
  const number = await newTicket(subject);
  const botCard = await assignFromDispatchCard(env.ctx, number, '1st line', { id: specialist, name: 'Дмитрий Волков' });
  const page = await boardPage(specialist, { width: 390, height: 844 });
  const stages = page.getByRole('navigation', { name: 'Этап' });
  await column(page, 'Новое').waitFor();
  expect(await column(page, 'Назначено').isVisible()).toBe(false);
  // Nothing is wider than the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await stages.getByRole('button', { name: /^Назначено · \d+$/ }).click();
  const assigned = column(page, 'Назначено');
  await assigned.waitFor();
  expect(await column(page, 'Новое').isVisible()).toBe(false);
  await assigned.getByRole('combobox', { name: `Перенести обращение #${number}` }).click();
  await page.getByRole('option', { name: 'В работе' }).click();
  await stages.getByRole('button', { name: /^В работе · \d+$/ }).click();
  const inProgress = column(page, 'В работе').getByRole('article', { name: `#${number} ${subject}` });
  await inProgress.waitFor();
  await eventually('the card accepted', async () => !buttonTexts(messageNow(env.ctx, specialist, botDialog(), botCard.id)!).includes('Принять') || null);

  await inProgress.getByRole('combobox', { name: `Перенести обращение #${number}` }).click();
  await page.getByRole('option', { name: 'Ждёт время' }).click();
  await stages.getByRole('button', { name: /^Ждёт время · \d+$/ }).click();
  await column(page, 'Ждёт время').getByRole('article', { name: `#${number} ${subject}` }).waitFor();
  await eventually('the card asks for the time', async () =>
    messageNow(env.ctx, specialist, botDialog(), botCard.id)!.text.startsWith(`Сколько времени ушло на #${number}?`) || null);
  expect((await env.ctx.app.core.db.query<{ status: string }>('select status from tickets where number = $1', [number]))[0].status).toBe('awaiting_time');
}, 180_000);

test('an open board follows the bot: a ticket the dispatcher assigns in the messenger moves to "assigned" without a reload', async () => {
  const subject = 'Доска: из мессенджера';
  const number = await newTicket(subject);
  const page = await boardPage(specialist, { width: 1280, height: 800 });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
  await column(page, 'Новое').getByRole('article', { name: `#${number} ${subject}` }).waitFor();
  await assignFromDispatchCard(env.ctx, number, '1st line', { id: specialist, name: 'Дмитрий Волков' });
  await column(page, 'Назначено').getByRole('article', { name: `#${number} ${subject}` }).waitFor();
  expect(await column(page, 'Новое').getByRole('article', { name: `#${number} ${subject}` }).count()).toBe(0);
  expect(navigations).toBe(0);
}, 180_000);

test('the API: restricted to departments, a specialist\'s board has no other department\'s tickets; a move the board does not offer is refused', async () => {
  const other = await newTicket('Доска: второй отдел');
  await assignFromDispatchCard(env.ctx, other, '2nd line', { id: secondLine[0], name: await secondLineName() });
  const fresh = await newTicket('Доска: новое');
  const config = env.ctx.app.config;
  const restricted = await servePanel(env.ctx, { ...config, panel: { ...config.panel, restrictToDepartment: true } });
  try {
    const numbers = async (api: Awaited<ReturnType<typeof staffApi>>) => {
      const res = await api.get('/board?view=all');
      expect(res.status).toBe(200);
      const board = await res.json() as { columns: Array<{ stage: string; cards: Array<{ number: number }> }> };
      return board.columns.flatMap((c) => c.cards.map((x) => x.number));
    };
    const narrow = await staffApi(restricted.url, config.panel.linkSecret!, specialist);
    const wide = await staffApi(env.panel.url, config.panel.linkSecret!, specialist);
    expect(await numbers(narrow)).not.toContain(other);
    expect(await numbers(narrow)).toContain(fresh); // new tickets stay everyone's to dispatch
    expect(await numbers(wide)).toContain(other);
    // Hidden from them, it cannot be moved either; as if it did not exist.
    expect((await narrow.post(`/tickets/${other}/move`, { to: 'assigned', employeeId: 1 })).status).toBe(404);

    // Not theirs: accepting another's ticket is not offered, and not done.
    const refused = await wide.post(`/tickets/${other}/move`, { to: 'in_progress' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(`Обращение #${other} нельзя перенести из «Назначено» в «В работе».`);
    // The state machine: a new ticket is not resolved without being worked on.
    expect((await wide.post(`/tickets/${fresh}/move`, { to: 'resolved', minutes: 5, billable: true })).status).toBe(409);
    expect((await wide.post(`/tickets/${fresh}/move`, { to: 'done' })).status).toBe(400);
    const states = await env.ctx.app.core.db.query<{ number: number; status: string }>('select number, status from tickets where number = any($1::bigint[]) order by number', [[other, fresh]]);
    expect(states.map((s) => s.status)).toEqual(['assigned', 'new']);
  } finally {
    await restricted.close();
  }
}, 180_000);

async function secondLineName(): Promise<string> {
  const [e] = await env.ctx.app.core.db.query<{ name: string }>('select name from employees where b24_user_id = $1', [String(secondLine[0])]);
  return e.name;
}
