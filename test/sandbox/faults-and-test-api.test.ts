import { RestError, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hookClient, rawRequest, registerBot, webhookPath } from './sandbox-helpers.js';

// Injected faults, the request log and the plain-JSON test API (not part of Bitrix24).
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ randomSeed: 42, rateLimit: { drainPerSec: 5, burst: 250 } });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const send = (botId: number, text: string) => rawRequest(sandbox, `${webhookPath(sandbox)}imbot.v2.Chat.Message.send`, {
  body: JSON.stringify({ botId, botToken: 'f', dialogId: '3', fields: { message: text } }),
});

test('5xx faults: 500 INTERNAL_SERVER_ERROR before the method runs, 502 without JSON after it ran', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'faulty', botToken: 'f' });
  sandbox.setFaults({ errorRate: 1, badGatewayShare: 0 });
  const internal = await send(botId, 'first');
  expect([internal.status, internal.json]).toEqual([500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }]);
  sandbox.setFaults({ badGatewayShare: 1 });
  const gateway = await send(botId, 'second');
  expect([gateway.status, gateway.json, gateway.contentType]).toEqual([502, undefined, expect.stringContaining('text/html')]);
  expect(sandbox.dialogMessages(3, String(botId)).map((m) => m.text)).toEqual(['second']);
  sandbox.setFaults({ errorRate: 0.5, badGatewayShare: 0 });
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push((await rawRequest(sandbox, `${webhookPath(sandbox)}server.time`)).status);
  const failures = statuses.filter((s) => s === 500).length;
  expect(failures).toBeGreaterThan(8);
  expect(failures).toBeLessThan(32);
});

test('connection reset after acting: the message is posted, the socket drops without an answer, the next send answers', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'resetting', botToken: 'f' });
  sandbox.setFaults({ resetNext: 1, resetMethod: 'IMBOT.V2.CHAT.MESSAGE.SEND' });
  await expect(rawRequest(sandbox, `${webhookPath(sandbox)}server.time`)).resolves.toMatchObject({ status: 200 });
  await expect(send(botId, 'lost answer')).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect((await send(botId, 'answered')).status).toBe(200);
  expect(sandbox.dialogMessages(3, String(botId)).map((m) => m.text)).toEqual(['lost answer', 'answered']);
  expect(sandbox.requestLog().filter((e) => e.error === 'CONNECTION_RESET').map((e) => e.method)).toEqual(['imbot.v2.Chat.Message.send']);
});

test('latency and a QUERY_LIMIT_EXCEEDED storm', async () => {
  sandbox.setFaults({ latencyMs: 120 });
  const t0 = Date.now();
  expect((await rawRequest(sandbox, `${webhookPath(sandbox)}server.time`)).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
  sandbox.clearFaults();
  sandbox.queryLimitStorm({ count: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await rawRequest(sandbox, `${webhookPath(sandbox)}server.time`)).status);
  expect(statuses).toEqual([503, 503, 200]);
});

test('the request log timestamps every REST request, so a test can measure the rate', async () => {
  for (let i = 0; i < 5; i++) await rawRequest(sandbox, `${webhookPath(sandbox)}profile?bx24_request_id=${i}`);
  const log = sandbox.requestLog();
  expect(log.map((e) => [e.method, e.status, e.path])).toEqual(Array(5).fill(['profile', 200, '/rest/1/***/profile']));
  expect(log.every((e, i) => i === 0 || e.at >= log[i - 1].at)).toBe(true);
  expect(log[0].params).toEqual({});
  expect(sandbox.requestLog(log[2].seq).map((e) => e.seq)).toEqual([log[3].seq, log[4].seq]);
});

test('a test can replace a method', async () => {
  sandbox.overrideMethod('user.get', () => {
    throw new RestError(503, 'OVERLOAD_LIMIT', 'REST API is blocked due to overload');
  });
  const blocked = await rawRequest(sandbox, `${webhookPath(sandbox)}user.get`);
  expect([blocked.status, blocked.json.error]).toEqual([503, 'OVERLOAD_LIMIT']);
  sandbox.overrideMethod('user.get', (params) => [{ ID: '77', NAME: String(params.NAME) }]);
  expect((await rawRequest(sandbox, `${webhookPath(sandbox)}user.get?NAME=Zoe`)).json.result).toEqual([{ ID: '77', NAME: 'Zoe' }]);
});

test('the test API drives users and exposes state over HTTP', async () => {
  const { botId } = await registerBot(hookClient(sandbox), { code: 'api', botToken: 'a' });
  const post = (path: string, body: unknown) => rawRequest(sandbox, `/sandbox/api${path}`, { body: JSON.stringify(body) });
  const written = await post('/actions/write', { userId: 4, dialogId: String(botId), text: '/ticket 1042' });
  expect(written.json).toMatchObject({ authorId: 4, text: '/ticket 1042' });
  const events = await rawRequest(sandbox, `/sandbox/api/bots/${botId}/events`);
  expect(events.json.map((e: any) => [e.type, e.data.command.command, e.data.command.params, e.data.command.context]))
    .toEqual([['ONIMBOTV2COMMANDADD', '/ticket', '1042', 'textarea']]);
  const refused = await post('/actions/write', { userId: 4, dialogId: 'chat99999', text: 'hi' });
  expect([refused.status, refused.json.error]).toEqual([400, 'ACCESS_ERROR']);
  const state = await rawRequest(sandbox, '/sandbox/api/state');
  expect(state.json.users.filter((u: any) => !u.bot)).toHaveLength(10);
  expect(state.json.departments.map((d: any) => d.name)).toEqual(['Modest Service', '1st line', '2nd line', 'Developers', 'Account management']);
  await post('/reset', { seed: false });
  expect((await rawRequest(sandbox, '/sandbox/api/state')).json.bots).toEqual([]);
  expect((await rawRequest(sandbox, `${webhookPath(sandbox)}profile`)).status).toBe(200);
});
