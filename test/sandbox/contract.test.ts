import https from 'node:https';
import { AjaxError, ApiVersion, B24OAuth } from '@bitrix24/b24jssdk';
import { sampleRoles, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hookClient, rawRequest, registerBot, trustSandbox, webhookPath } from './sandbox-helpers.js';

// The official SDK, unchanged, against the stand-in portal: what it sends must be understood
// and what comes back must look like a real portal's answer (reference §7, §8).
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function rejection(p: Promise<unknown>): Promise<AjaxError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AjaxError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('webhook calls through @bitrix24/b24jssdk', () => {
  test('a single call answers the documented envelope', async () => {
    const b24 = hookClient(sandbox);
    const r = await b24.actions.v2.call.make<Record<string, unknown>>({ method: 'im.user.get', params: { ID: sampleRoles.dispatcher } });
    expect(r.isSuccess).toBe(true);
    const { result, time } = r.getData()!;
    expect(result).toMatchObject({ id: 2, first_name: 'Ольга', last_name: 'Кузнецова', departments: [2], bot: false });
    expect(time).toEqual(expect.objectContaining({
      start: expect.any(Number), finish: expect.any(Number), duration: expect.any(Number),
      date_start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/), operating_reset_at: expect.any(Number),
    }));
    const [entry] = sandbox.requestLog();
    expect(entry).toMatchObject({ method: 'im.user.get', auth: 'webhook', userId: 1, status: 200, params: { ID: 2 } });
  });

  test('a list pages 50 at a time with start, total and next', async () => {
    for (let i = 0; i < 60; i++) sandbox.addUser({ name: `Dev${i}`, departments: [sampleRoles.departments.developers] });
    const b24 = hookClient(sandbox);
    const params = { FILTER: { UF_DEPARTMENT: sampleRoles.departments.developers, ACTIVE: true } };
    const first = await b24.actions.v2.call.make<Array<{ ID: string }>>({ method: 'user.get', params });
    expect(first.getTotal()).toBe(62);
    expect(first.isMore()).toBe(true);
    expect(first.getData()!.result).toHaveLength(50);
    expect(first.getData()!.result[0].ID).toBe('7');
    const second = await first.getNext(b24.getHttpClient(ApiVersion.v2));
    expect(second).not.toBe(false);
    if (second === false) return;
    expect(second.getData()!.result).toHaveLength(12);
    expect(second.isMore()).toBe(false);
    expect(sandbox.requestLog()[1].params).toMatchObject({ start: 50 });
  });

  test('a batch runs its calls in order, resolves $result references and counts once', async () => {
    const b24 = hookClient(sandbox);
    const res = await b24.actions.v2.batch.make({
      calls: {
        reg: { method: 'imbot.v2.Bot.register', params: { fields: { code: 'b1', botToken: 'tok', properties: { name: 'Bot' } } } },
        send: {
          method: 'imbot.v2.Chat.Message.send',
          params: { botId: '$result[reg][bot][id]', botToken: 'tok', dialogId: '2', fields: { message: '[b]New ticket[/b]' } },
        },
        staff: { method: 'user.get', params: { FILTER: { UF_DEPARTMENT: 2 } } },
      },
      options: { isHaltOnError: true },
    });
    expect(res.isSuccess).toBe(true);
    const data = res.getData() as { reg: { bot: { id: number } }; send: { id: number }; staff: unknown[] };
    expect(data.send.id).toEqual(expect.any(Number));
    expect(data.staff).toHaveLength(4);
    const messages = sandbox.dialogMessages(2, String(data.reg.bot.id));
    expect(messages.map((m) => [m.id, m.text])).toEqual([[data.send.id, '[b]New ticket[/b]']]);
    const log = sandbox.requestLog();
    expect(log).toHaveLength(1);
    expect(log[0].subCalls).toEqual(['imbot.v2.Bot.register', 'imbot.v2.Chat.Message.send', 'user.get']);
    expect(sandbox.rateLimitLevel()).toBeLessThanOrEqual(1);
    // Counted, once: the level drains as time passes, and a loaded machine reads it a while later.
    expect(sandbox.rateLimitLevel()).toBeGreaterThan(0);
  });

  test('a failing sub-call lands in result_error, PHP-style, with HTTP 200', async () => {
    const cmd = ['user.get?ID=3', 'imbot.v2.Chat.Message.send?botId=999&botToken=x', 'department.get?ID=2'];
    const body = cmd.map((c, i) => `cmd[${i}]=${encodeURIComponent(c)}`).join('&') + '&halt=0';
    const r = await rawRequest(sandbox, `${webhookPath(sandbox)}batch.json`, { body, contentType: 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.result.result)).toEqual(['0', '2']);
    expect(r.json.result.result_error).toEqual({ 1: { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' } });
    expect(r.json.result.result_next).toEqual([]);
    expect(r.json.result.result_total).toEqual({ 0: 1, 2: 1 });
  });

  test('an error envelope surfaces as the SDK error with its code and status', async () => {
    const b24 = hookClient(sandbox);
    const notFound = await rejection(b24.actions.v2.call.make({
      method: 'imbot.v2.Chat.Message.send', params: { botId: 4242, botToken: 'nope', dialogId: '2', fields: { message: 'x' } },
    }));
    expect([notFound.code, notFound.status]).toEqual(['BOT_NOT_FOUND', 400]);
    const raw = await rawRequest(sandbox, `${webhookPath(sandbox)}imbot.v2.Chat.Message.send`, { body: '{"botId":4242,"botToken":"x"}' });
    expect(raw.json).toEqual({ error: 'BOT_NOT_FOUND', error_description: 'Bot not found' });
    const wrongSecret = await rejection(hookClient(sandbox, `${sandbox.baseUrl}/rest/1/wrong-secret/`)
      .actions.v2.call.make({ method: 'profile', params: {} }));
    expect([wrongSecret.code, wrongSecret.status]).toEqual(['NO_AUTH_FOUND', 401]);
    const limited = hookClient(sandbox, sandbox.createWebhook(3, ['user']));
    const noScope = await rejection(limited.actions.v2.call.make({ method: 'im.user.get', params: {} }));
    expect([noScope.code, noScope.status]).toEqual(['insufficient_scope', 403]);
  });

  test('REST 3.0 answers under /rest/api/ and fails in the v3 shape', async () => {
    const b24 = hookClient(sandbox);
    const add = await b24.actions.v2.call.make<{ task: { id: string; chatId: number } }>({
      method: 'tasks.task.add', params: { fields: { TITLE: 'Escalation #1042', RESPONSIBLE_ID: sampleRoles.developers[0] } },
    });
    const taskId = Number(add.getData()!.result.task.id);
    const sent = await b24.actions.v3.call.make<{ result: boolean }>({
      method: 'tasks.task.chat.message.send', params: { fields: { taskId, text: 'From the support desk' } },
    });
    expect(sent.getData()!.result).toEqual({ result: true });
    const chatId = add.getData()!.result.task.chatId;
    expect(sandbox.chatMessages(chatId).map((m) => m.text)).toEqual(['From the support desk']);
    // the SDK hands v3 validation failures back as a failed result rather than throwing
    const failed = await b24.actions.v3.call.make({ method: 'tasks.task.chat.message.send', params: { fields: { taskId } } });
    expect(failed.isSuccess).toBe(false);
    const [invalid] = [...failed.getErrors()] as AjaxError[];
    expect([invalid.code, invalid.status]).toEqual(['BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION', 400]);
    const raw = await rawRequest(sandbox, `/rest/api${webhookPath(sandbox).slice('/rest'.length)}tasks.task.chat.message.send`, {
      body: JSON.stringify({ fields: { taskId } }),
    });
    expect(raw.json.error).toMatchObject({ code: invalid.code, validation: [{ field: 'text' }] });
  });
});

describe('the portal rate limit', () => {
  test('hammering past the burst gets 503 QUERY_LIMIT_EXCEEDED from plain HTTP', async () => {
    const statuses: number[] = [];
    let limited: unknown;
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      const r = await rawRequest(sandbox, `${webhookPath(sandbox)}server.time.json`);
      statuses.push(r.status);
      if (r.status === 503) limited = r.json;
    }
    expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
    const firstRefused = statuses.indexOf(503);
    expect(firstRefused).toBeGreaterThanOrEqual(50);
    // the bucket drains 2 per second while we hammer, letting that many more through
    expect(firstRefused).toBeLessThanOrEqual(50 + Math.ceil(((Date.now() - started) / 1000) * 2));
    expect(limited).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
  });
});

describe('OAuth', () => {
  test('an expired access token is refreshed through /oauth/token/ by B24OAuth and the call succeeds', async () => {
    const install = sandbox.installApp({ userId: 1 });
    sandbox.expireAccessTokens();
    const b24 = new B24OAuth(
      { ...install, expires: Math.floor(Date.now() / 1000) + 3600 },
      { clientId: install.clientId, clientSecret: install.clientSecret },
    );
    trustSandbox(b24, sandbox);
    const refreshed: string[] = [];
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => void refreshed.push(b24OAuthParams.accessToken));
    // B24OAuth refreshes with its own private axios, which only the global agent reaches
    const previousCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = sandbox.caCertPem;
    try {
      const r = await b24.actions.v2.call.make<Array<{ ID: string }>>({ method: 'user.get', params: { ID: 3 } });
      expect(r.getData()!.result.map((u) => u.ID)).toEqual(['3']);
    } finally {
      if (previousCa === undefined) delete https.globalAgent.options.ca;
      else https.globalAgent.options.ca = previousCa;
    }
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(install.accessToken);
    expect(sandbox.requestLog().map((e) => [e.method, e.status, e.error])).toEqual([
      ['user.get', 401, 'expired_token'], ['oauth.token', 200, null], ['user.get', 200, null],
    ]);
    const reuse = await rawRequest(sandbox, `/oauth/token/?grant_type=refresh_token&client_id=${install.clientId}`
      + `&client_secret=${install.clientSecret}&refresh_token=${install.refreshToken}`);
    expect([reuse.status, reuse.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('app.info names the app as documented (CODE = client_id of a local app); app context only; uninstall kills the tokens', async () => {
    const install = sandbox.installApp({ userId: 1 });
    const b24 = new B24OAuth(install, { clientId: install.clientId, clientSecret: install.clientSecret });
    trustSandbox(b24, sandbox);
    const r = await b24.actions.v2.call.make<Record<string, unknown>>({ method: 'app.info', params: {} });
    expect(r.getData()!.result).toEqual({
      ID: expect.any(Number), CODE: install.clientId, VERSION: 1, STATUS: 'L', INSTALLED: true, PAYMENT_EXPIRED: 'N', DAYS: null,
      LANGUAGE_ID: 'ru', LICENSE: expect.any(String), LICENSE_TYPE: expect.any(String), LICENSE_FAMILY: expect.any(String),
    });
    const hook = await rawRequest(sandbox, `${webhookPath(sandbox)}app.info`);
    expect([hook.status, hook.json]).toEqual([400, { error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' }]);
    sandbox.uninstallApp(install.clientId);
    const after = await rawRequest(sandbox, '/rest/app.info', { body: JSON.stringify({ auth: install.accessToken }) });
    expect([after.status, after.json.error]).toEqual([401, 'NO_AUTH_FOUND']);
    const again = sandbox.installApp({ clientId: install.clientId });
    expect([again.clientSecret, again.applicationToken === install.applicationToken]).toEqual([install.clientSecret, false]);
  });

  test('app calls reach /rest/{method} and /rest//{method} with auth in body or query', async () => {
    const install = sandbox.installApp({ userId: 2 });
    const inBody = await rawRequest(sandbox, '/rest/profile', { body: JSON.stringify({ auth: install.accessToken }) });
    const inQuery = await rawRequest(sandbox, `/rest//profile.json?auth=${install.accessToken}`);
    expect([inBody.json.result.ID, inQuery.json.result.ID]).toEqual(['2', '2']);
    const appOnly = await rawRequest(sandbox, `${webhookPath(sandbox)}event.bind`, { body: '{"event":"ONTASKUPDATE","handler":"http://x/"}' });
    expect(appOnly.status).toBe(403);
  });
});

describe('imbot.v2.Event.get', () => {
  test('events acknowledged by offset are not returned again', async () => {
    const b24 = hookClient(sandbox);
    const { botId } = await registerBot(b24, { code: 'support', botToken: 'tok-1' });
    const get = async (offset?: number) => (await b24.actions.v2.call.make<{
      events: Array<{ eventId: number; type: string; data: { message: { text: string } } }>; nextOffset: number; hasMore: boolean;
    }>({ method: 'imbot.v2.Event.get', params: { botId, botToken: 'tok-1', offset, limit: 2 } })).getData()!.result;
    for (const text of ['one', 'two', 'three']) sandbox.writeMessage({ userId: 3, dialogId: String(botId), text });
    const first = await get();
    expect(first.events.map((e) => e.data.message.text)).toEqual(['one', 'two']);
    expect(first.hasMore).toBe(true);
    const again = await get();
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    const second = await get(first.nextOffset);
    expect(second.events.map((e) => [e.type, e.data.message.text])).toEqual([['ONIMBOTV2MESSAGEADD', 'three']]);
    expect(second.hasMore).toBe(false);
    const empty = await get(second.nextOffset);
    expect(empty).toEqual({ events: [], nextOffset: second.nextOffset, hasMore: false });
    expect(sandbox.pendingEvents(botId)).toEqual([]);
  });
});
