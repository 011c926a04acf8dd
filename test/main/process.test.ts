import { SmtpSink } from '../harness/smtp-sink.js';
import { makeTestEnv } from '../harness/app.js';
import { exited, spawnEntry } from '../harness/processes.js';
import { freePort } from '../../main/free-port.js';
import { eventually } from '../harness/wait.js';

let smtp: SmtpSink;
beforeAll(async () => { smtp = await SmtpSink.start(); });
afterAll(async () => { await smtp.down(); });

test('a missing or wrong setting stops the process with one line naming it', async () => {
  const child = spawnEntry('worker', { REDIS_URL: 'redis://127.0.0.1:1', MAIL_FROM: 'nobody', LOG_LEVEL: 'info' });
  expect(await exited(child)).toBe(1);
  const lines = child.output.join('').trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Invalid configuration: .*SMTP_URL: is required.*MAIL_FROM: must be an address/);
});

test('health: alive, not ready while a mailbox is down; JSON logs without the password; SIGTERM stops it cleanly', async () => {
  const t = await makeTestEnv({ smtp, engine: 'pglite' });
  const port = await freePort();
  const deadImap = await freePort();
  const child = spawnEntry('intake', {
    ...t.env, LOG_LEVEL: 'info', HEALTH_PORT: String(port),
    IMAP_URLS: `imap://support:S3cretPass@127.0.0.1:${deadImap}/INBOX?name=support`,
  });
  const health = await eventually('healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 30_000);
  expect(health).toBe(true);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(ready.status).toBe(503);
  const body = await ready.json() as { checks: Record<string, { ok: boolean; detail?: Array<{ name: string; state: string }> }> };
  expect(body.checks.database.ok).toBe(true);
  expect(body.checks.redis.ok).toBe(true);
  expect(body.checks.mailboxes.ok).toBe(false);
  expect(body.checks.mailboxes.detail).toEqual([expect.objectContaining({ name: 'support', state: expect.stringMatching(/starting|reconnecting/) })]);

  await eventually('a log line about the failing mailbox', async () => child.output.join('').includes('mailbox session failed'));
  child.kill('SIGTERM');
  expect(await exited(child)).toBe(0);
  const lines = child.output.join('').trim().split('\n');
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  expect(lines.map((l) => JSON.parse(l).msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  expect(child.output.join('')).not.toContain('S3cretPass');
});
