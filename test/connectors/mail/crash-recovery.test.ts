import { jest } from '@jest/globals';
import pg from 'pg';
import { SmtpSink } from '../../harness/smtp-sink.js';
import { deliver, flaggedCount, makeTestEnv } from '../../harness/app.js';
import { exited, kill9, spawnEntry } from '../../harness/processes.js';
import { startDovecot, type LocalDovecot } from '../../harness/dovecot.js';
import { eventually } from '../../harness/wait.js';

jest.setTimeout(180_000);

function mails(n: number, tag: string): string[] {
  // Every tenth has no Message-ID, so it is deduplicated by its content hash.
  return Array.from({ length: n }, (_, i) => `From: Client ${i} <client${i}@crash.example>\r\nTo: support@modest.example\r\n`
    + `Subject: ${tag} request ${i}\r\n${i % 10 === 0 ? '' : `Message-ID: <${tag}-${i}@crash.example>\r\n`}`
    + `Content-Type: text/plain; charset=utf-8\r\n\r\nЗапрос номер ${i}.\r\n`);
}

async function counts(db: pg.Client) {
  const { rows: [r] } = await db.query(`select (select count(*)::int from tickets) as tickets,
    (select count(*)::int from messages where direction = 'in') as inbound,
    (select count(*)::int from messages where direction = 'out') as acks,
    (select count(*)::int from messages where direction = 'out' and send_state = 'sent') as sent`);
  return r as { tickets: number; inbound: number; acks: number; sent: number };
}

let smtp: SmtpSink;
beforeAll(async () => { smtp = await SmtpSink.start(); });
afterAll(async () => { await smtp.down(); });

test('killing intake and worker in the middle of 200 mails, then restarting, ends with exactly 200 tickets', async () => {
  // Slices of 5 mails, so the kill lands between commits, and sends still under way.
  const t = await makeTestEnv({ smtp, extra: { JOB_LOCK_SECONDS: '3', MAIL_FETCH_BATCH: '5', INGEST_CONCURRENCY: '1' } });
  await deliver(t.mailboxUser, mails(200, 'crash'));
  const db = new pg.Client({ connectionString: t.env.DATABASE_URL });
  let intake = spawnEntry('intake', t.env);
  let worker = spawnEntry('worker', t.env);
  await eventually('some tickets', async () => {
    await db.connect().catch(() => {});
    return (await counts(db)).tickets >= 10;
  }, 60_000);
  await kill9(intake, worker);
  const atKill = await counts(db);
  expect(atKill.tickets).toBeLessThan(200);

  intake = spawnEntry('intake', t.env);
  worker = spawnEntry('worker', t.env);
  const done = await eventually('all 200 mails in', async () => {
    const c = await counts(db);
    return c.inbound === 200 && c.sent === 200 && c;
  }, 120_000);
  expect(done).toEqual({ tickets: 200, inbound: 200, acks: 200, sent: 200 });
  await eventually('all flagged on the server', async () => (await flaggedCount(t.mailboxUser, '$ModestIngested')).flagged === 200);
  const acked = new Set(smtp.received.filter((r) => r.mail.subject?.includes('crash request')).map((r) => r.mail.subject));
  expect(acked.size).toBe(200);

  intake.kill('SIGTERM');
  worker.kill('SIGTERM');
  expect(await exited(intake)).toBe(0);
  expect(await exited(worker)).toBe(0);
  await db.end();
});

describe('Dovecot going down mid-run', () => {
  let dovecot: LocalDovecot;
  beforeAll(async () => { dovecot = await startDovecot(); });
  afterAll(async () => { await dovecot.close(); });

  test('loses nothing: the intake reconnects and takes the rest', async () => {
    const t = await makeTestEnv({ smtp, imapPort: dovecot.port });
    await deliver(t.mailboxUser, mails(40, 'restart'), dovecot.port);
    const db = new pg.Client({ connectionString: t.env.DATABASE_URL });
    const intake = spawnEntry('intake', t.env);
    const worker = spawnEntry('worker', t.env);
    await eventually('first tickets', async () => {
      await db.connect().catch(() => {});
      return (await counts(db)).tickets >= 5;
    }, 60_000);
    await dovecot.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await dovecot.start();
    await deliver(t.mailboxUser, mails(60, 'restart').slice(40), dovecot.port);
    const done = await eventually('all 60 in', async () => {
      const c = await counts(db);
      return c.inbound === 60 && c;
    }, 90_000);
    expect(done.tickets).toBe(60);
    // As long as the other waits here: under a full suite's load the last flags took over the default 20 s.
    await eventually('all flagged', async () => (await flaggedCount(t.mailboxUser, '$ModestIngested', dovecot.port)).flagged === 60, 60_000);
    await kill9(intake, worker);
    await db.end();
  });
});
