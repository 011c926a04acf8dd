import http from 'node:http';
import express from 'express';
import { Queue } from 'bullmq';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { SmtpSink } from '../../harness/smtp-sink.js';
import { makeTestEnv } from '../../harness/app.js';
import { eventually } from '../../harness/wait.js';
import { loadConfig } from '../../../config/load-config.js';
import { openCoreServices, type CoreServices } from '../../../main/services.js';
import { createLogger } from '../../../main/logger.js';
import { pushRoutes } from '../../../main/run-push-route.js';
import { loadTokens, storedOAuthTransport } from '../../../connectors/bitrix24/oauth-store.js';
import { QUEUES, type B24EventJob } from '../../../workers/jobs.js';

let sandbox: Sandbox;
let smtp: SmtpSink;
let core: CoreServices;
let events: Queue<B24EventJob>;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({ accessTokenTtlSec: 3600 });
  smtp = await SmtpSink.start();
  const t = await makeTestEnv({ smtp, engine: 'pglite' });
  const config = loadConfig(t.env);
  core = await openCoreServices(config);
  events = new Queue<B24EventJob>(QUEUES.b24Events, { connection: core.redis, prefix: config.redis.queuePrefix });
  const app = express();
  app.use(pushRoutes(core, events, createLogger('silent', 'test')));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await events.obliterate({ force: true });
  await events.close();
  await core.close();
  await smtp.down();
  await sandbox.close();
});

const form = (body: Record<string, string>) => fetch(`${baseUrl}/b24/events`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body),
});

test('install stores the tokens; a pushed event is accepted only with our application_token', async () => {
  const installed = sandbox.installApp({ installHandlerUrl: `${baseUrl}/b24/install` });
  await sandbox.settlePushes();
  const tokens = await eventually('tokens stored', () => loadTokens(core.db));
  expect(tokens.applicationToken).toBe(installed.applicationToken);
  expect(tokens.memberId).toBe(installed.memberId);

  const forged = await form({ event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7', 'auth[application_token]': 'forged' });
  expect(forged.status).toBe(401);
  const missing = await form({ event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7' });
  expect(missing.status).toBe(401);
  expect(await events.count()).toBe(0);

  const genuine = await form({
    event: 'ONIMBOTV2COMMANDADD', 'data[command][params]': 'emp 1042 7', 'data[command][context]': 'keyboard',
    'auth[application_token]': installed.applicationToken, 'auth[domain]': installed.domain,
  });
  expect(genuine.status).toBe(200);
  const [job] = await events.getJobs(['waiting']);
  expect(job.data).toMatchObject({ source: 'push', type: 'ONIMBOTV2COMMANDADD', data: { command: { params: 'emp 1042 7', context: 'keyboard' } } });

  const reinstall = await fetch(`${baseUrl}/b24/install`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ event: 'ONAPPINSTALL', 'auth[application_token]': 'attacker', 'auth[access_token]': 'x', 'auth[domain]': 'evil.example' }),
  });
  expect(reinstall.status).toBe(401);
  expect((await loadTokens(core.db))!.domain).toBe(installed.domain);
});

test('an expired access token is refreshed, the new pair saved, and the call succeeds', async () => {
  const before = (await loadTokens(core.db))!;
  const app = sandbox.installApp();
  const transport = storedOAuthTransport(core.db, { clientId: app.clientId, clientSecret: app.clientSecret }, { caPem: sandbox.caCertPem });
  // The stored tokens belong to the first install; use this app's pair for the refresh test.
  await core.db.query(`update connector_state set value = $1 where key = 'b24.oauth'`, [JSON.stringify({ ...before, ...app })]);
  expect(await transport.call({ method: 'user.get', params: { ID: 1 } })).toMatchObject({ ok: true });
  sandbox.expireAccessTokens();
  const after = await transport.call({ method: 'user.get', params: { ID: 1 } });
  expect(after).toMatchObject({ ok: true, result: [expect.objectContaining({ ID: '1' })] });
  const saved = (await loadTokens(core.db))!;
  expect(saved.accessToken).not.toBe(app.accessToken);
  expect(saved.refreshToken).not.toBe(app.refreshToken);
  expect(sandbox.requestLog().some((r) => r.method === 'oauth.token')).toBe(true);
});
