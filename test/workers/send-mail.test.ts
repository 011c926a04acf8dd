import { SmtpSink } from '../harness/smtp-sink.js';
import { deliver, fixture, makeTestEnv, startApp, type RunningApp } from '../harness/app.js';
import { eventually } from '../harness/wait.js';
import { createLogger } from '../../main/logger.js';
import { makeSendMail } from '../../workers/send-mail.js';
import type { Job } from 'bullmq';
import type { SendMailJob } from '../../workers/jobs.js';

let smtp: SmtpSink;
let app: RunningApp;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  const t = await makeTestEnv({ smtp, engine: 'pglite' });
  await smtp.down();
  app = await startApp(t);
  await deliver(t.mailboxUser, [fixture('plain.eml')]);
});
afterAll(async () => {
  await app.stop();
  await smtp.down();
});

test('with SMTP down the acknowledgement waits and retries, and goes out once SMTP is back', async () => {
  const job = await eventually('a failed send attempt', async () => {
    const [failedOnce] = (await app.core.queues.mailOut.getJobs(['delayed', 'waiting', 'active'])).filter((j) => j.attemptsMade >= 1);
    return failedOnce;
  });
  expect(job.failedReason).toMatch(/ECONNREFUSED/);
  expect(smtp.received).toHaveLength(0);
  await smtp.up();
  const ack = await eventually('the acknowledgement', async () => smtp.received[0], 30_000);
  expect(ack.mail.subject).toMatch(/^\[#\d+\] Printer does not print$/);
  // Marked sent once the relay's answer is in, a moment after the relay has the mail.
  await eventually('the acknowledgement marked sent', async () =>
    (await app.core.db.query<{ send_state: string }>(`select send_state from messages where direction = 'out'`))[0]?.send_state === 'sent');
});

test('running the send handler again for a sent mail sends nothing', async () => {
  const [row] = await app.core.db.query<{ id: number }>(`select id from messages where direction = 'out'`);
  const sent: unknown[] = [];
  const handler = makeSendMail({
    db: app.core.db, smtp: { send: async (m) => { sent.push(m); } }, companyName: 'X', log: createLogger('silent', 't'),
  });
  expect(await handler({ id: 'again', data: { messageRowIds: [row.id] } } as unknown as Job<SendMailJob>)).toEqual({ sent: 0, failed: 0, suppressed: 0 });
  expect(sent).toEqual([]);
  expect(smtp.received).toHaveLength(1);
});
