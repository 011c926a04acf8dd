import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sampleRoles, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hookClient, registerBot } from './sandbox-helpers.js';

// The messenger page in headless Chromium (services.md §5): what a person clicks there must
// reach the bot exactly as the real messenger's clicks do.
let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  sandbox.reset();
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
});
afterEach(() => context.close());

type EventPage = { events: Array<{ type: string; data: any }> };

test('clicking a keyboard button of a bot message gives the bot a keyboard command event', async () => {
  const b24 = hookClient(sandbox);
  const { botId, commandId } = await registerBot(b24, { code: 'dispatch', botToken: 'page-token' });
  const keyboard = {
    BOT_ID: botId,
    BUTTONS: [
      { TEXT: '1st line', COMMAND: 'ticket', COMMAND_PARAMS: 'dept 1042 2', DISPLAY: 'LINE', BLOCK: 'Y' },
      { TEXT: '2nd line', COMMAND: 'ticket', COMMAND_PARAMS: 'dept 1042 3', DISPLAY: 'LINE' },
    ],
  };
  const sent = await b24.actions.v2.call.make<{ id: number }>({
    method: 'imbot.v2.Chat.Message.send',
    params: { botId, botToken: 'page-token', dialogId: String(sampleRoles.dispatcher), fields: { message: '[b]Ticket #1042[/b] from ACME', keyboard } },
  });
  const messageId = sent.getData()!.result.id;

  await page.goto(sandbox.messengerUrl);
  await page.selectOption('#who', String(sampleRoles.dispatcher));
  await page.click(`#chats li[data-dialog-id="${botId}"]`);
  const message = page.locator(`.message[data-message-id="${messageId}"]`);
  expect(await message.locator('.text b').textContent()).toBe('Ticket #1042');
  await message.locator('button.kb-button', { hasText: '1st line' }).click();
  await page.waitForSelector(`.message[data-message-id="${messageId}"] button[data-index="0"]:disabled`);
  expect(await message.locator('button[data-index="1"]').isDisabled()).toBe(false);

  const r = await b24.actions.v2.call.make<EventPage>({ method: 'imbot.v2.Event.get', params: { botId, botToken: 'page-token' } });
  const events = r.getData()!.result.events;
  expect(events.map((e) => e.type)).toEqual(['ONIMBOTV2COMMANDADD']);
  expect(events[0].data.command).toEqual({ id: commandId, command: '/ticket', params: 'dept 1042 2', context: 'keyboard' });
  expect(events[0].data.message.id).toBe(messageId);
  expect(events[0].data.user).toMatchObject({ id: sampleRoles.dispatcher, bot: false });
  expect(events[0].data.chat).toMatchObject({ dialogId: String(sampleRoles.dispatcher), type: 'private' });
  expect(events[0].data.bot).toMatchObject({ id: botId, code: 'dispatch', eventMode: 'fetch' });
});

test('a developer comments in the task chat and completes the task from the page', async () => {
  const developer = sampleRoles.developers[0];
  const add = await hookClient(sandbox).actions.v2.call.make<{ task: { id: string; chatId: number } }>({
    method: 'tasks.task.add', params: { fields: { TITLE: 'Login fails for ACME', RESPONSIBLE_ID: developer } },
  });
  const { id, chatId } = add.getData()!.result.task;

  await page.goto(`${sandbox.messengerUrl}?user=${developer}`);
  await page.click(`#chats li[data-dialog-id="chat${chatId}"]`);
  await page.fill('#text', 'Fixed in build 512');
  await page.click('#send');
  await page.waitForSelector('.message.own >> text=Fixed in build 512');
  await page.click('#complete-task');
  await page.waitForSelector('#task-status >> text=completed');

  expect(sandbox.tasks().find((t) => t.id === id)).toMatchObject({ status: '5', closedBy: String(developer) });
  expect(sandbox.chatMessages(chatId).map((m) => [m.authorId, m.text])).toEqual([[developer, 'Fixed in build 512']]);
});
