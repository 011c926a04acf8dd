import { makeTestEnv, startApp, type RunningApp } from '../harness/app.js';
import { serveHealth, type TestHealthServer } from '../harness/health.js';
import { SmtpSink } from '../harness/smtp-sink.js';
import { eventually } from '../harness/wait.js';

let smtp: SmtpSink;
let app: RunningApp;
let health: TestHealthServer;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  app = await startApp(await makeTestEnv({ smtp, engine: 'pglite', extra: { SMTP_PROBE_SECONDS: '0.5' } }));
  health = await serveHealth(app.core.checks);
}, 180_000);
afterAll(async () => {
  await health.close();
  await app.stop();
  await smtp.down();
});

type Readyz = { status: number; body: { checks: { smtp: { ok: boolean; detail: { reachable: boolean; error?: string; message?: string; downSince?: string } } } } };
const readyz = () => health.readyz<Readyz['body']>();

test('SMTP unreachable: /readyz says so under "smtp" and the worker stays ready; back up, it says so too', async () => {
  await eventually('smtp reachable', async () => (await readyz()).body.checks.smtp.detail.reachable);
  await smtp.down();
  // A probe that meets the listener while it shuts down reads its 421 first; once it is gone the detail names
  // the refused connection.
  const down = await eventually('smtp reported refused', async () => {
    const r = await readyz();
    return /ECONNREFUSED/.test(r.body.checks.smtp.detail.message ?? '') ? r : null;
  });
  expect(down.body.checks.smtp.detail).toMatchObject({ reachable: false, error: expect.any(String), downSince: expect.any(String) });
  // Mail only waits: the worker keeps ingesting and running the bot, so it stays ready.
  expect(down.status).toBe(200);
  expect(down.body.checks.smtp.ok).toBe(true);
  await smtp.up();
  const up = await eventually('smtp reported back', async () => {
    const r = await readyz();
    return r.body.checks.smtp.detail.reachable ? r : null;
  });
  expect(up.body.checks.smtp.detail.downSince).toBeUndefined();
}, 120_000);
