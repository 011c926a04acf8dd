import type { Browser } from 'playwright-core';
import { launchChromium } from '../../harness/browser.js';
import { sampleRoles } from '../../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../../harness/sandbox-app.js';
import { eventually } from '../../harness/wait.js';
import { sendMessage } from '../../../connectors/bitrix24/imbot.js';
import { button } from '../../../bot/keyboard.js';
import type { B24EventJob } from '../../../workers/jobs.js';

let ctx: SandboxApp;
beforeAll(async () => { ctx = await startSandboxApp(); });
afterAll(async () => { await ctx.close(); });

/** Events the app has taken in so far (nothing consumes them in these tests). */
async function received(type: string): Promise<B24EventJob[]> {
  const jobs = await ctx.app.b24!.eventsQueue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
  return jobs.map((j) => j.data).filter((d) => d.type === type);
}
const clickParams = async () => (await received('ONIMBOTV2COMMANDADD'))
  .map((e) => (e.data as { command: { params: string; context: string } }).command)
  .filter((c) => c.context === 'keyboard').map((c) => c.params).sort();

async function postKeyboard(key: string, ticket: number): Promise<number> {
  return sendMessage(ctx.app.b24!.b24, ctx.bot, String(sampleRoles.dispatcher), `Ticket #${ticket}`,
    [button('1st line', { action: 'dept', ticket, arg: '2' }), button('2nd line', { action: 'dept', ticket, arg: '3' })], key);
}

test('button clicks arrive as command events; the pull loop survives a restart without losing or repeating one', async () => {
  const messageId = await postKeyboard('kb-1', 1042);
  const second = await postKeyboard('kb-2', 1043);
  expect(ctx.sandbox.clickButton({ userId: sampleRoles.dispatcher, messageId, buttonIndex: 0 }).delivered).toBe(true);
  await eventually('first click', async () => (await clickParams()).length === 1);

  await ctx.restart(() => { ctx.sandbox.clickButton({ userId: sampleRoles.dispatcher, messageId: second, buttonIndex: 1 }); });
  await eventually('click made while we were down', async () => (await clickParams()).length === 2);

  // A crash after queuing but before saving the cursor: the same events come again.
  const cursorKey = `b24.events.cursor.${ctx.bot.botId}`;
  await ctx.app.core.db.query('update connector_state set value = $1 where key = $2', [JSON.stringify(null), cursorKey]);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await clickParams()).toEqual(['dept 1042 2', 'dept 1043 3']);
});

test('a developer comment in the escalation task reaches us in webhook-only mode', async () => {
  const developer = sampleRoles.developers[0];
  const { result } = await ctx.app.b24!.b24.call<{ task: { id: string } }>('tasks.task.add', {
    fields: { TITLE: '#1042 Не работает 1С', RESPONSIBLE_ID: developer, AUDITORS: [1, sampleRoles.specialists[0]], DESCRIPTION: 'From the client' },
  });
  ctx.sandbox.commentTask({ userId: developer, taskId: Number(result.task.id), text: 'Нашёл причину: истекла лицензия' });
  const comment = await eventually('the comment as a user event', async () => (await received('ONIMV2MESSAGEADD'))
    .find((e) => JSON.stringify(e.data).includes('истекла лицензия')), 60_000);
  expect(comment.source).toBe('fetch');
});

describe('the messenger page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => { await browser.close(); });

  test('a dispatcher clicking a keyboard button in the browser gives the app that command', async () => {
    const messageId = await postKeyboard('kb-page', 1077);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(ctx.sandbox.messengerUrl);
    await page.selectOption('#who', String(sampleRoles.dispatcher));
    await page.click(`#chats li[data-dialog-id="${ctx.bot.botId}"]`);
    await page.locator(`.message[data-message-id="${messageId}"] button.kb-button`, { hasText: '2nd line' }).click();
    await eventually('the click in the app', async () => (await clickParams()).includes('dept 1077 3'));
    await context.close();
  });
});
