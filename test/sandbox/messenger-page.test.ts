import { sampleRoles } from '../../sandbox/index.js';
import { useSandboxPage } from '../harness/browser.js';
import { hookClient, registerBot } from './sandbox-helpers.js';

// The messenger page in headless Chromium (services.md §5): what a person clicks there must
// reach the bot exactly as the real messenger's clicks do.
const ctx = useSandboxPage({ ignoreHTTPSErrors: true });

type EventPage = { events: Array<{ type: string; data: any }> };

test('clicking a keyboard button of a bot message gives the bot a keyboard command event', async () => {
  const b24 = hookClient(ctx.sandbox);
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

  await ctx.page.goto(ctx.sandbox.messengerUrl);
  await ctx.page.selectOption('#who', String(sampleRoles.dispatcher));
  await ctx.page.click(`#chats li[data-dialog-id="${botId}"]`);
  const message = ctx.page.locator(`.message[data-message-id="${messageId}"]`);
  expect(await message.locator('.text b').textContent()).toBe('Ticket #1042');
  await message.locator('button.kb-button', { hasText: '1st line' }).click();
  await ctx.page.waitForSelector(`.message[data-message-id="${messageId}"] button[data-index="0"]:disabled`);
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
  const add = await hookClient(ctx.sandbox).actions.v2.call.make<{ task: { id: string; chatId: number } }>({
    method: 'tasks.task.add', params: { fields: { TITLE: 'Login fails for ACME', RESPONSIBLE_ID: developer } },
  });
  const { id, chatId } = add.getData()!.result.task;

  await ctx.page.goto(`${ctx.sandbox.messengerUrl}?user=${developer}`);
  await ctx.page.click(`#chats li[data-dialog-id="chat${chatId}"]`);
  await ctx.page.fill('#text', 'Fixed in build 512');
  await ctx.page.click('#send');
  await ctx.page.waitForSelector('.message.own >> text=Fixed in build 512');
  await ctx.page.click('#complete-task');
  await ctx.page.waitForSelector('#task-status >> text=completed');

  expect(ctx.sandbox.tasks().find((t) => t.id === id)).toMatchObject({ status: '5', closedBy: String(developer) });
  expect(ctx.sandbox.chatMessages(chatId).map((m) => [m.authorId, m.text])).toEqual([[developer, 'Fixed in build 512']]);
});
