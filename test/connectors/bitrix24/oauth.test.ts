import http from 'node:http';
import express from 'express';
import { Queue } from 'bullmq';
import type { Sandbox } from '../../../sandbox/index.js';
import { startTestSandbox } from '../../harness/test-portal.js';
import { SmtpSink } from '../../harness/smtp-sink.js';
import { makeTestEnv } from '../../harness/app.js';
import { withOAuthSandbox } from '../../harness/oauth-app.js';
import { loadConfig, type Config } from '../../../config/load-config.js';
import { openCoreServices, type CoreServices } from '../../../main/services.js';
import { createLogger } from '../../../main/logger.js';
import { finishRoutes } from '../../../main/http-errors.js';
import { pushRoutes } from '../../../main/run-push-route.js';
import { loadTokens, storedOAuthTransport } from '../../../connectors/bitrix24/oauth-store.js';
import { QUEUES, type B24EventJob } from '../../../workers/jobs.js';

// The install path and the event endpoint of the web process, against the sandbox portal, with
// a local listener standing for an attacker's host: it records whatever reaches it.
let sandbox: Sandbox;
let smtp: SmtpSink;
let core: CoreServices;
let config: Config;
let events: Queue<B24EventJob>;
let server: http.Server;
let baseUrl: string;
let app: { clientId: string; clientSecret: string };
const attacker = { server: null as unknown as http.Server, url: '', host: '', seen: [] as Array<{ url: string; body: string }> };

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ accessTokenTtlSec: 3600 });
  smtp = await SmtpSink.start();
  attacker.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; }).on('end', () => {
      attacker.seen.push({ url: req.url ?? '', body });
      // what a forged OAuth server would answer, were it ever asked
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ result: { CODE: app.clientId, client_id: app.clientId }, access_token: 'x', refresh_token: 'y' }));
    });
  });
  attacker.host = `127.0.0.1:${await listen(attacker.server)}`;
  attacker.url = `http://${attacker.host}`;
  server = http.createServer();
  baseUrl = `http://127.0.0.1:${await listen(server)}`;
  app = sandbox.createApp();
  const t = withOAuthSandbox(await makeTestEnv({ smtp, engine: 'pglite' }), sandbox, app, baseUrl);
  config = loadConfig(t.env);
  core = await openCoreServices(config);
  events = new Queue<B24EventJob>(QUEUES.b24Events, { connection: core.redis, prefix: config.redis.queuePrefix });
  const routes = express();
  if (config.bitrix24.mode !== 'oauth') throw new Error('OAuth settings expected');
  routes.use(pushRoutes(core, events, createLogger('silent', 'test'), config.bitrix24));
  finishRoutes(routes);
  server.on('request', routes);
});
afterAll(async () => {
  for (const s of [server, attacker.server]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await events.obliterate({ force: true });
  await events.close();
  await core.close();
  await smtp.down();
  await sandbox.close();
});

const post = (path: string, body: Record<string, string>) => fetch(`${baseUrl}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body),
});

/** An ONAPPINSTALL as anyone can POST it, `auth[...]` fields given. */
const installWith = (auth: Record<string, string>) => post('/b24/install', {
  event: 'ONAPPINSTALL', 'data[VERSION]': '1', ...Object.fromEntries(Object.entries(auth).map(([k, v]) => [`auth[${k}]`, v])),
});

const oauthCalls = () => sandbox.requestLog().filter((r) => r.method === 'oauth.token');
const appInfoCalls = () => sandbox.requestLog().filter((r) => r.method === 'app.info');

test('a forged first install is refused, and nothing reaches any host but the configured portal and OAuth server', async () => {
  const forgedTokens = { access_token: 'stolen-or-made-up', refresh_token: 'r', application_token: 'attacker-token', member_id: 'm1', expires_in: '3600' };
  // Every endpoint pointing at the attacker's host.
  const elsewhere = await installWith({ ...forgedTokens, domain: attacker.host, client_endpoint: `${attacker.url}/rest/`, server_endpoint: `${attacker.url}/rest/` });
  expect(elsewhere.status).toBe(401);
  // Our portal named, but a token the portal does not know.
  const made = await installWith({ ...forgedTokens, domain: sandbox.domain, client_endpoint: `${sandbox.baseUrl}/rest/`, server_endpoint: `${attacker.url}/rest/` });
  expect(made.status).toBe(401);
  // A genuine token of another application installed on the same portal.
  const other = sandbox.installApp();
  const foreign = await installWith({ ...forgedTokens, access_token: other.accessToken, member_id: other.memberId, domain: sandbox.domain,
    client_endpoint: `${sandbox.baseUrl}/rest/`, server_endpoint: `${attacker.url}/rest/` });
  expect(foreign.status).toBe(401);
  expect((await foreign.json())).toEqual({ error: 'INSTALL_REFUSED' });

  expect(await loadTokens(core.db)).toBeNull();
  expect(attacker.seen).toEqual([]);
  // The portal was asked (only about the two tokens that named it), and no secret went anywhere.
  expect(appInfoCalls().map((r) => r.status)).toEqual([401, 200]);
  expect(oauthCalls()).toEqual([]);
  // Not installed: every event is refused, whatever token it brings.
  const event = await post('/b24/events', { event: 'ONIMBOTV2COMMANDADD', 'auth[application_token]': 'attacker-token', 'auth[domain]': sandbox.domain });
  expect(event.status).toBe(401);
  expect(await events.count()).toBe(0);
});

test('a genuine install through the sandbox is verified by a call back to the portal; member_id is pinned', async () => {
  sandbox.clearRequestLog();
  const installed = sandbox.installApp({ clientId: app.clientId, installHandlerUrl: `${baseUrl}/b24/install` });
  await sandbox.settlePushes();
  expect(sandbox.pushLog().at(-1)).toMatchObject({ event: 'ONAPPINSTALL', status: 200 });
  const tokens = (await loadTokens(core.db))!;
  expect(tokens.applicationToken).toBe(installed.applicationToken);
  expect(tokens.memberId).toBe(installed.memberId);
  expect(appInfoCalls()).toEqual([expect.objectContaining({ status: 200, auth: 'app', userId: 1 })]);

  // A later install must come from the same portal id, even with a genuine token of ours.
  const again = sandbox.installApp({ clientId: app.clientId });
  const otherMember = await installWith({ access_token: again.accessToken, refresh_token: again.refreshToken, application_token: 'new-token',
    member_id: 'another-portal-id', domain: sandbox.domain });
  expect(otherMember.status).toBe(401);
  expect((await loadTokens(core.db))!.applicationToken).toBe(installed.applicationToken);
});

test('a genuine token with a foreign server_endpoint: the refresh still goes to the configured OAuth server only', async () => {
  const again = sandbox.installApp({ clientId: app.clientId });
  const reinstall = await installWith({ access_token: again.accessToken, refresh_token: again.refreshToken, application_token: again.applicationToken,
    member_id: again.memberId, domain: sandbox.domain, client_endpoint: `${sandbox.baseUrl}/rest/`, server_endpoint: `${attacker.url}/rest/` });
  expect(reinstall.status).toBe(200);
  const c = config.bitrix24;
  if (c.mode !== 'oauth') throw new Error('OAuth settings expected');
  const transport = storedOAuthTransport(core.db, c, { caPem: sandbox.caCertPem });
  sandbox.clearRequestLog();
  sandbox.expireAccessTokens();
  const after = await transport.call({ method: 'user.get', params: { ID: 1 } });
  expect(after).toMatchObject({ ok: true, result: [expect.objectContaining({ ID: '1' })] });
  const saved = (await loadTokens(core.db))!;
  expect(saved.accessToken).not.toBe(again.accessToken);
  expect(saved.serverEndpoint).toBe(`${sandbox.baseUrl}/rest/`);
  expect(oauthCalls()).toHaveLength(1);
  expect(attacker.seen).toEqual([]);
});

test('the event endpoint refuses cheaply: wrong token, another portal, a huge body, too many fields', async () => {
  const { applicationToken } = (await loadTokens(core.db))!;
  const before = await events.count();
  const forged = await post('/b24/events', { event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7', 'auth[application_token]': 'forged', 'auth[domain]': sandbox.domain });
  expect(forged.status).toBe(401);
  const missing = await post('/b24/events', { event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7' });
  expect(missing.status).toBe(401);
  const otherPortal = await post('/b24/events', { event: 'ONIMBOTV2COMMANDADD', 'auth[application_token]': applicationToken, 'auth[domain]': 'evil.example' });
  expect(otherPortal.status).toBe(401);

  // 5 MB with a wrong token: refused on its size, before it is read or parsed.
  const huge = await post('/b24/events', { event: 'ONIMBOTV2MESSAGEADD', 'auth[application_token]': 'wrong', 'data[message][text]': 'x'.repeat(5 * 1024 * 1024) })
    .catch((err: Error) => err);
  expect(huge instanceof Error ? huge.message : huge.status).toBe(413);
  const many = await post('/b24/events', Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`data[f${i}]`, '1'])));
  expect(many.status).toBe(413);
  expect(await many.json()).toEqual({ error: 'TOO_MANY_PARAMETERS' });
  expect(await events.count()).toBe(before);

  const genuine = await post('/b24/events', {
    event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7', 'data[command][context]': 'keyboard',
    'auth[application_token]': applicationToken, 'auth[domain]': sandbox.domain, 'auth[client_endpoint]': `${sandbox.baseUrl}/rest/`,
  });
  expect(genuine.status).toBe(200);
  const jobs = await events.getJobs(['waiting']);
  expect(jobs.map((j) => j.data)).toContainEqual(expect.objectContaining({
    source: 'push', type: 'ONIMBOTV2COMMANDADD', data: { command: { params: 'emp 1042 7', context: 'keyboard' } },
  }));
});
