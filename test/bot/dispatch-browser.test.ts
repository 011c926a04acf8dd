import { chromium, type Browser } from 'playwright-core';
import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { clientMail, dispatchDialog, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

let ctx: SandboxApp;
let browser: Browser;
beforeAll(async () => {
  ctx = await startSandboxApp();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
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
