import { AjaxError } from '@bitrix24/b24jssdk';
import { sampleRoles, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hookClient, registerBot } from './sandbox-helpers.js';

// The imbot.v2 and im methods the bot relies on, and what the messenger keeps of them.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function call<T>(method: string, params: Record<string, unknown>): Promise<T> {
  const r = await hookClient(sandbox).actions.v2.call.make<T>({ method, params });
  return r.getData()!.result;
}

test('Bot.register and Command.register are idempotent; botToken guards every other call', async () => {
  const b24 = hookClient(sandbox);
  const first = await registerBot(b24, { code: 'desk', botToken: 'secret-1' });
  const again = await registerBot(b24, { code: 'desk', botToken: 'secret-1' });
  expect(again).toEqual(first);
  expect(sandbox.bots()).toHaveLength(1);
  const stranger = await b24.actions.v2.call.make({
    method: 'imbot.v2.Chat.Message.send', params: { botId: first.botId, botToken: 'other', dialogId: '2', fields: { message: 'x' } },
  }).catch((e: AjaxError) => e);
  expect(stranger).toBeInstanceOf(AjaxError);
  expect((stranger as AjaxError).code).toBe('BOT_OWNERSHIP_ERROR');
  const tooLong = await b24.actions.v2.call.make({
    method: 'imbot.v2.Bot.register', params: { fields: { code: 'x', botToken: 'a'.repeat(41), properties: { name: 'X' } } },
  }).catch((e: AjaxError) => e);
  expect((tooLong as AjaxError).code).toBe('BOT_TOKEN_INVALID_LENGTH');
});

test('keyboards stay with their message until an update sends keyboard "N"', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'kb', botToken: 'k' });
  const keyboard = [{ TEXT: 'Take', COMMAND: 'ticket', COMMAND_PARAMS: 'take 7' }];
  const { id } = await call<{ id: number }>('imbot.v2.Chat.Message.send', {
    botId, botToken: 'k', dialogId: '3', fields: { message: 'Ticket #7', keyboard },
  });
  const stored = () => sandbox.dialogMessages(3, String(botId)).find((m) => m.id === id)!;
  expect(stored().params).toEqual({ KEYBOARD: [{ BOT_ID: botId, TEXT: 'Take', COMMAND: 'ticket', COMMAND_PARAMS: 'take 7' }] });
  const updated = await call('imbot.v2.Chat.Message.update', { botId, botToken: 'k', messageId: id, fields: { message: 'Ticket #7 [b]taken[/b]' } });
  expect(updated).toEqual({ result: true });
  expect(stored()).toMatchObject({ text: 'Ticket #7 [b]taken[/b]', params: { KEYBOARD: [{ TEXT: 'Take' }] } });
  await call('imbot.v2.Chat.Message.update', { botId, botToken: 'k', messageId: id, fields: { keyboard: 'N' } });
  expect(stored().params).toEqual({});
});

test('im.dialog.messages.get pages with FIRST_ID and LAST_ID and has [] params when empty', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'pager', botToken: 'p' });
  for (let i = 1; i <= 5; i++) sandbox.writeMessage({ userId: 1, dialogId: String(botId), text: `m${i}` });
  type Page = { chat_id: number; messages: Array<{ id: number; text: string; params: unknown; author_id: number }>; users: unknown[] };
  const latest = await call<Page>('im.dialog.messages.get', { DIALOG_ID: String(botId), LIMIT: 2 });
  expect(latest.messages.map((m) => m.text)).toEqual(['m5', 'm4']);
  expect(latest.messages[0]).toMatchObject({ author_id: 1, params: [] });
  const older = await call<Page>('im.dialog.messages.get', { DIALOG_ID: String(botId), LAST_ID: latest.messages[1].id, LIMIT: 2 });
  expect(older.messages.map((m) => m.text)).toEqual(['m3', 'm2']);
  const newer = await call<Page>('im.dialog.messages.get', { DIALOG_ID: String(botId), FIRST_ID: older.messages[1].id, LIMIT: 2 });
  expect(newer.messages.map((m) => m.text).sort()).toEqual(['m3', 'm4']);
});

test('Chat.add makes a chatN group; File.upload stores the file and posts it', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'grp', botToken: 'g' });
  const { chat } = await call<{ chat: { id: number; dialogId: string; owner: number; userCounter: number } }>('imbot.v2.Chat.add', {
    botId, botToken: 'g', fields: { title: 'Ticket #1042', userIds: [3, 7], color: 'mint', message: 'Discussing [b]#1042[/b]' },
  });
  expect(chat).toMatchObject({ dialogId: `chat${chat.id}`, owner: botId, userCounter: 3 });
  const upload = await call<{ file: { id: number; size: number; extension: string }; messageId: number; dialogId: string }>('imbot.v2.File.upload', {
    botId, botToken: 'g', dialogId: chat.dialogId, fields: { name: 'Report.PDF', content: Buffer.from('%PDF-1.4').toString('base64') },
  });
  expect(upload).toMatchObject({ dialogId: chat.dialogId, file: { size: 8, extension: 'pdf' } });
  expect(sandbox.chatMessages(chat.id).map((m) => m.params)).toEqual([{}, { FILE_ID: [upload.file.id] }]);
  const typing = await call('imbot.v2.Chat.InputAction.notify', { botId, botToken: 'g', dialogId: chat.dialogId, duration: 5 });
  expect(typing).toEqual({ result: true });
});

test('tasks get a chat; comments land in it and reach subscribed members as user events', async () => {
  const developer = sampleRoles.developers[1];
  const { task } = await call<{ task: Record<string, unknown> }>('tasks.task.add', {
    fields: { TITLE: 'Escalated: #1042', RESPONSIBLE_ID: developer, AUDITORS: [1], DESCRIPTION: '[b]Client[/b] cannot log in' },
  });
  expect(task).toMatchObject({ title: 'Escalated: #1042', status: '2', responsibleId: String(developer), auditors: ['1'] });
  const taskId = Number(task.id);
  const { botId } = await registerBot(hookClient(sandbox), { code: 'tasks', botToken: 't' });
  const notSubscribed = await hookClient(sandbox).actions.v2.call.make({
    method: 'imbot.v2.Event.get', params: { botId, botToken: 't', withUserEvents: true },
  }).catch((e: AjaxError) => e);
  expect((notSubscribed as AjaxError).code).toBe('USER_NOT_SUBSCRIBED');
  expect(await call('im.v2.Event.subscribe', {})).toBe(true);
  sandbox.commentTask({ userId: developer, taskId, text: 'Reproduced, the token expired' });
  const id = await call<number>('task.commentitem.add', { TASKID: taskId, FIELDS: { POST_MESSAGE: 'Thanks!' } });
  const page = await call<{ events: Array<{ type: string; data: any }> }>('imbot.v2.Event.get', { botId, botToken: 't', withUserEvents: true });
  expect(page.events.map((e) => [e.type, e.data.message.text, e.data.chat.entityType, e.data.chat.entityId])).toEqual([
    ['ONIMV2MESSAGEADD', 'Reproduced, the token expired', 'TASKS_TASK', String(taskId)],
    ['ONIMV2MESSAGEADD', 'Thanks!', 'TASKS_TASK', String(taskId)],
  ]);
  expect(page.events[1].data.message.id).toBe(id);
  const got = await call<{ task: Record<string, unknown> }>('tasks.task.get', { taskId, select: ['ID', 'TITLE', 'STATUS'] });
  expect(got.task).toEqual({ id: String(taskId), title: 'Escalated: #1042', status: '2', chatId: expect.any(Number) });
  const history = await call<{ messages: Array<{ text: string }> }>('im.dialog.messages.get', { DIALOG_ID: `chat${got.task.chatId}` });
  expect(history.messages.map((m) => m.text)).toEqual(['Thanks!', 'Reproduced, the token expired']);
});
