import qs from 'qs';
import { sampleRoles, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hookClient, rawRequest, registerBot, startPushReceiver } from './sandbox-helpers.js';

// Events pushed to handlers must arrive as Bitrix24 sends them: form-encoded through PHP's
// http_build_query, every scalar a string, null keys gone (reference §2).
let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startPushReceiver>>;

beforeAll(async () => {
  sandbox = await startSandbox();
  receiver = await startPushReceiver();
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(() => {
  sandbox.reset();
  receiver.pushes.length = 0;
});

type Decoded = Record<string, any>;
const decode = (body: string): Decoded => qs.parse(body, { depth: 10 }) as Decoded;

const keyboard = {
  BUTTONS: [
    { TEXT: '1st line', COMMAND: 'ticket', COMMAND_PARAMS: 'dept 1042 2', DISPLAY: 'LINE', BLOCK: 'Y' },
    { TYPE: 'NEWLINE' },
    { TEXT: 'Spam', COMMAND: 'ticket', COMMAND_PARAMS: 'spam 1042' },
  ],
};

test('a webhook-mode bot gets its command event POSTed form-encoded, PHP style', async () => {
  const b24 = hookClient(sandbox);
  const { botId, commandId } = await registerBot(b24, { code: 'hooked', botToken: 'hook-token', eventMode: 'webhook', webhookUrl: receiver.url });
  const sent = await b24.actions.v2.call.make<{ id: number }>({
    method: 'imbot.v2.Chat.Message.send',
    params: { botId, botToken: 'hook-token', dialogId: String(sampleRoles.dispatcher), fields: { message: 'Ticket #1042', keyboard } },
  });
  const messageId = sent.getData()!.result.id;
  expect(sandbox.clickButton({ userId: sampleRoles.dispatcher, messageId, buttonIndex: 0 }).delivered).toBe(true);
  await sandbox.settlePushes();

  expect(receiver.pushes).toHaveLength(1);
  const [push] = receiver.pushes;
  expect(push.contentType).toBe('application/x-www-form-urlencoded');
  expect(push.body).toMatch(/^event=ONIMBOTV2COMMANDADD&data%5Bbot%5D%5Bid%5D=\d+&/);
  const e = decode(push.body);
  expect(e.event).toBe('ONIMBOTV2COMMANDADD');
  expect(e.ts).toMatch(/^\d{10}$/);
  expect(e.auth).toEqual(expect.objectContaining({ domain: sandbox.domain, application_token: 'hook-token' }));
  expect(e.data.bot).toMatchObject({ id: String(botId), code: 'hooked', auth: { user_id: '2', application_token: 'hook-token' } });
  expect(e.data.bot.auth.refresh_token).toBeUndefined();
  expect(e.data.command).toEqual({ id: String(commandId), command: '/ticket', params: 'dept 1042 2', context: 'keyboard' });
  expect(e.data.message).toMatchObject({ id: String(messageId), authorId: String(botId), isSystem: '0', text: 'Ticket #1042' });
  expect('forward' in e.data.message).toBe(false);
  expect(e.data.message.params.KEYBOARD[0]).toMatchObject({ COMMAND: 'ticket', BLOCK: 'Y', DISABLED: 'Y' });
  expect(e.data.chat).toMatchObject({ dialogId: '2', type: 'private', messageType: 'P' });
  expect(e.data.user).toMatchObject({ id: '2', active: '1', bot: '0', firstName: 'Ольга' });
  expect(e.data.language).toBe('ru');
});

test('a typed message reaches a webhook bot as ONIMBOTV2MESSAGEADD; a lost push never arrives', async () => {
  const b24 = hookClient(sandbox);
  const { botId } = await registerBot(b24, { code: 'hooked2', botToken: 't2', eventMode: 'webhook', webhookUrl: receiver.url });
  sandbox.setFaults({ loseNextPushes: 1 });
  sandbox.writeMessage({ userId: 3, dialogId: String(botId), text: 'lost in transit' });
  sandbox.writeMessage({ userId: 3, dialogId: String(botId), text: 'Помогите, [b]срочно[/b]' });
  await sandbox.settlePushes();
  expect(receiver.pushes.map((p) => decode(p.body).data.message.text)).toEqual(['Помогите, [b]срочно[/b]']);
  expect(sandbox.pushLog().map((p) => [p.event, p.lost, p.status])).toEqual([
    ['ONIMBOTV2MESSAGEADD', true, null], ['ONIMBOTV2MESSAGEADD', false, 200],
  ]);
});

test('task comments and updates are pushed to the handlers an app bound, with working tokens', async () => {
  const app = sandbox.installApp({ userId: 1 });
  for (const event of ['ONTASKCOMMENTADD', 'ONTASKUPDATE']) {
    const bound = await rawRequest(sandbox, '/rest/event.bind', {
      body: JSON.stringify({ auth: app.accessToken, event, handler: receiver.url }),
    });
    expect(bound.json.result).toBe(true);
  }
  const b24 = hookClient(sandbox);
  const developer = sampleRoles.developers[0];
  const add = await b24.actions.v2.call.make<{ task: { id: string } }>({
    method: 'tasks.task.add', params: { fields: { TITLE: 'Fix the export', RESPONSIBLE_ID: developer, AUDITORS: [1] } },
  });
  const taskId = Number(add.getData()!.result.task.id);
  const comment = sandbox.commentTask({ userId: developer, taskId, text: 'Found it, fixing' });
  sandbox.completeTask({ userId: developer, taskId });
  await sandbox.settlePushes();

  const events = receiver.pushes.map((p) => decode(p.body));
  expect(events.map((e) => e.event)).toEqual(['ONTASKCOMMENTADD', 'ONTASKUPDATE']);
  expect(events[0].data).toEqual({
    FIELDS_BEFORE: 'undefined',
    FIELDS_AFTER: { ID: '0', TASK_ID: String(taskId), MESSAGE_ID: String(comment.id) },
    IS_ACCESSIBLE_BEFORE: 'undefined',
    IS_ACCESSIBLE_AFTER: 'undefined',
  });
  expect(events[1].data.FIELDS_AFTER).toEqual({ ID: String(taskId) });
  expect(events[0].auth).toMatchObject({ application_token: app.applicationToken, user_id: String(developer), member_id: app.memberId });
  const asDeveloper = await rawRequest(sandbox, '/rest/tasks.task.get', {
    body: JSON.stringify({ auth: events[1].auth.access_token, taskId }),
  });
  expect(asDeveloper.json.result.task).toMatchObject({ id: String(taskId), status: '5', closedBy: String(developer) });
});
