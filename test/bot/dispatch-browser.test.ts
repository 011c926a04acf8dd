import type { Browser } from 'playwright-core';
import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { launchChromium } from '../harness/browser.js';
import { clientMail, dispatchDialog, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

let ctx: SandboxApp;
let browser: Browser;
beforeAll(async () => {
  ctx = await startSandboxApp();
  browser = await launchChromium();
  // PGlite's first start (WASM, every migration) takes long on a busy machine.
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

test('a dispatcher assigns a new ticket by clicking department and employee on the messenger page', async () => {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'anna@vector.example', subject: 'Сломался сайт', text: 'Сайт отдаёт 500.', messageId: 'web1@vector.example' })]);
  const { number } = await eventually('the ticket', async () =>
    (await ctx.app.core.db.query<{ number: number }>(`select number from tickets where subject = 'Сломался сайт'`))[0]);
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, sampleRoles.dispatcher, chat, new RegExp(`#${number}`));

  const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await page.goto(ctx.sandbox.messengerUrl);
  await page.selectOption('#who', String(sampleRoles.dispatcher));
  await page.click(`#chats li[data-dialog-id="${chat}"]`);
  const message = page.locator(`.message[data-message-id="${card.id}"]`);
  await message.locator('button.kb-button', { hasText: '2nd line' }).click();
  // The page polls the portal: the same message now offers the 2nd line's people.
  await message.locator('button.kb-button', { hasText: 'Сергей Морозов' }).click();
  await message.locator('.text', { hasText: 'Назначено: Сергей Морозов (назначила Ольга Кузнецова' }).waitFor({ timeout: 20_000 });
  expect(await message.locator('button.kb-button').count()).toBe(0);
  const [row] = await ctx.app.core.db.query<{ status: string; name: string }>(
    'select t.status, e.name from tickets t join employees e on e.id = t.assignee_id where t.number = $1', [number]);
  expect(row).toEqual({ status: 'assigned', name: 'Сергей Морозов' });
}, 90_000);

/** What a person reads in an element: its text without the invisible word joiners that keep brackets inert. */
const visibleText = (el: Element) => (el as HTMLElement).innerText.replace(/\u2060/g, '');

test('on a 390 px phone a dispatcher assigns from the reminder\'s short keyboard; client brackets show as written; nothing overflows', async () => {
  const subject = 'Ошибка [b]в отчёте[/b]';
  await deliver(ctx.t.mailboxUser, [clientMail({
    from: 'anna@vector.example', subject, messageId: 'phone1@vector.example',
    text: 'Ссылка [url=https://evil.example]нажмите[/url] и [b]жирный[/b] текст.',
  })]);
  const { id, number } = await eventually('the ticket', async () =>
    (await ctx.app.core.db.query<{ id: number; number: number }>('select id, number from tickets where subject = $1', [subject]))[0]);
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, sampleRoles.dispatcher, chat, new RegExp(`#${number}\\b`));
  // The ticket has waited past the interval (5 min): the next tick reminds about it.
  await ctx.app.core.db.query(`update tickets set created_at = created_at - interval '10 minutes' where id = $1`, [id]);
  const reminder = await waitForMessage(ctx, sampleRoles.dispatcher, chat, (m) => m.text.startsWith('Не назначено обращений') && m.text.includes(`#${number}`));

  const page = await (await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await page.goto(ctx.sandbox.messengerUrl);
  await page.selectOption('#who', String(sampleRoles.dispatcher));
  await page.click(`#chats li[data-dialog-id="${chat}"]`);

  // The client's words, literally: brackets kept, no bold and no link made of them.
  const cardText = page.locator(`.message[data-message-id="${card.id}"] .text`);
  await cardText.waitFor();
  const shown = await cardText.evaluate(visibleText);
  expect(shown).toContain('Ошибка [b]в отчёте[/b]');
  expect(shown).toContain('Ссылка [url=https://evil.example]нажмите[/url] и [b]жирный[/b] текст.');
  expect(await cardText.locator('a[href*="evil.example"]').count()).toBe(0);
  expect(await cardText.locator('b', { hasText: 'жирный' }).count()).toBe(0);

  // One button per ticket: a short keyboard whatever the number of departments.
  const message = page.locator(`.message[data-message-id="${reminder.id}"]`);
  const numbers = await message.locator('button.kb-button').allTextContents();
  expect(numbers).toContain(`#${number}`);
  expect(numbers.every((t) => /^#\d+$/.test(t))).toBe(true);
  await message.locator('button.kb-button', { hasText: new RegExp(`^#${number}$`) }).click();
  await message.locator('button.kb-button', { hasText: 'Не обращение' }).waitFor({ timeout: 20_000 });
  await message.locator('button.kb-button', { hasText: '2nd line' }).click();
  await message.locator('button.kb-button', { hasText: 'Сергей Морозов' }).click();
  await eventually('assigned', async () => (await ctx.app.core.db.query<{ status: string }>('select status from tickets where id = $1', [id]))[0].status === 'assigned');
  await page.locator(`.message[data-message-id="${card.id}"] .text`, { hasText: 'Назначено: Сергей Морозов (назначила Ольга Кузнецова' }).waitFor({ timeout: 20_000 });
  await message.locator('.text', { hasText: new RegExp(`^(?![\\s\\S]*#${number}\\b)`) }).waitFor({ timeout: 20_000 });

  // Nothing wider than the phone: the page does not scroll sideways, and no button of any
  // keyboard reaches past the screen's edge.
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    buttons: [...document.querySelectorAll('button.kb-button')].filter((b) => b.getBoundingClientRect().right > window.innerWidth).length,
  }));
  expect(overflow).toEqual({ page: 0, buttons: 0 });
}, 150_000);
