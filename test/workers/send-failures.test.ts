import type { Job } from 'bullmq';
import { SmtpSink } from '../harness/smtp-sink.js';
import { deliver, makeTestEnv, startApp, type RunningApp, type TestEnv } from '../harness/app.js';
import { eventually } from '../harness/wait.js';
import { createLogger } from '../../main/logger.js';
import { SmtpRefusedError } from '../../connectors/mail/smtp-errors.js';
import { SmtpSender } from '../../connectors/mail/smtp-sender.js';
import { listAudit } from '../../tickets/store/audit-repo.js';
import { countAutomaticMails } from '../../tickets/store/delivery-repo.js';
import { insertOutboundMail } from '../../tickets/store/message-repo.js';
import { makeSendMail } from '../../workers/send-mail.js';
import type { SendMailJob } from '../../workers/jobs.js';

let smtp: SmtpSink;
let t: TestEnv;
let app: RunningApp;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  t = await makeTestEnv({ smtp, extra: { MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY: '2' } });
  app = await startApp(t);
});
afterAll(async () => {
  await app.stop();
  await smtp.down();
});

const db = () => app.core.db;
const mail = (from: string, subject: string, id: string) =>
  `From: ${from}\r\nTo: support@modest.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n\r\nHello, it does not work.\r\n`;
const rowFor = async (inReplyTo: string) => (await db().query<{ id: number; ticket_id: number; send_state: string; send_error: string | null;
  bot_pending: boolean }>(`select id, ticket_id, send_state, send_error, bot_pending from messages where direction = 'out' and in_reply_to = $1`,
  [inReplyTo]))[0];
const attemptsTo = (address: string) => smtp.rcptAttempts.filter((a) => a === address).length;
const mailOutIdle = async () => {
  const c = await app.core.queues.mailOut.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0);
};

test('a recipient the relay refuses for good holds back no one else\'s acknowledgement, and is recorded on its ticket, not retried', async () => {
  smtp.refuse.set('gone@acme.example', 550);
  await deliver(t.mailboxUser, [
    mail('Anna <anna@acme.example>', 'VPN is down', 'r1@acme.example'),
    mail('Gone <gone@acme.example>', 'Printer jam', 'r2@acme.example'),
    mail('Boris <boris@acme.example>', 'Scanner is slow', 'r3@acme.example'),
  ]);
  const acked = await eventually('the two acknowledgements', async () => {
    const to = smtp.received.flatMap((r) => r.rcptTo);
    return to.includes('anna@acme.example') && to.includes('boris@acme.example') && to;
  });
  expect(acked).not.toContain('gone@acme.example');
  const failed = await eventually('the refused ack ended', async () => {
    const r = await rowFor('r2@acme.example');
    return r?.send_state === 'failed' && r;
  });
  expect(failed.send_error).toMatch(/^550 .*No such user/);
  // The bot tells the assignee from this mark (bot/announce-inbound.ts).
  expect(failed.bot_pending).toBe(true);
  const audit = (await listAudit(db(), failed.ticket_id)).find((a) => a.action === 'mail_failed');
  expect(audit?.details).toMatchObject({ messageRowId: failed.id, to: ['gone@acme.example'], reason: expect.stringMatching(/^550/) });
  await eventually('the send jobs are done', mailOutIdle);
  expect(attemptsTo('gone@acme.example')).toBe(1);
});

test('in one send job: refused for good, refused for now, an impossible address and a good one each end on their own', async () => {
  smtp.refuse.set('never@acme.example', 550);
  smtp.refuse.set('busy@acme.example', 450);
  const { ticket_id: ticketId } = await rowFor('r1@acme.example');
  const ids: Record<string, number> = {};
  for (const to of ['never@acme.example', 'busy@acme.example', 'ivan@@acme..example', 'fine@acme.example']) {
    ids[to] = await insertOutboundMail(db(), {
      ticketId, kind: 'reply', to: [to], bodyText: `to ${to}`, language: 'en', authorEmployeeId: null, messageIdDomain: 'modest.example', at: new Date(),
    });
  }
  const sender = new SmtpSender(smtp.url, 'support@modest.example');
  const handler = makeSendMail({ db: db(), smtp: sender, companyName: 'X', log: createLogger('silent', 't') });
  try {
    // The 4xx is thrown last, so the job retries that one mail later; the others are done.
    await expect(handler({ id: 'mixed', data: { messageRowIds: Object.values(ids) } } as unknown as Job<SendMailJob>))
      .rejects.toBeInstanceOf(SmtpRefusedError);
  } finally {
    sender.close();
  }
  const states = new Map((await db().query<{ id: number; send_state: string; send_error: string | null }>(
    'select id, send_state, send_error from messages where id = any($1)', [Object.values(ids)])).map((r) => [r.id, r]));
  expect(states.get(ids['never@acme.example'])).toMatchObject({ send_state: 'failed', send_error: expect.stringMatching(/^550/) });
  expect(states.get(ids['busy@acme.example'])).toMatchObject({ send_state: 'pending', send_error: null });
  expect(states.get(ids['ivan@@acme..example'])).toMatchObject({ send_state: 'failed', send_error: 'invalid_address ivan@@acme..example' });
  expect(states.get(ids['fine@acme.example'])).toMatchObject({ send_state: 'sent' });
  expect(smtp.received.map((r) => r.rcptTo).flat()).toContain('fine@acme.example');
  expect(smtp.rcptAttempts.some((a) => a.includes('@@'))).toBe(false);
});

test('a mail the relay takes for one recipient and refuses for another is sent, and the refusal noted on the ticket', async () => {
  smtp.refuse.set('left@acme.example', 550);
  const { ticket_id: ticketId } = await rowFor('r1@acme.example');
  const id = await insertOutboundMail(db(), {
    ticketId, kind: 'reply', to: ['stays@acme.example', 'left@acme.example'], bodyText: 'to both', language: 'en', authorEmployeeId: null,
    messageIdDomain: 'modest.example', at: new Date(),
  });
  const sender = new SmtpSender(smtp.url, 'support@modest.example');
  const handler = makeSendMail({ db: db(), smtp: sender, companyName: 'X', log: createLogger('silent', 't') });
  try {
    expect(await handler({ id: 'partial', data: { messageRowIds: [id] } } as unknown as Job<SendMailJob>)).toEqual({ sent: 1, failed: 0, suppressed: 0 });
  } finally {
    sender.close();
  }
  expect(smtp.received.find((r) => r.mail.text?.includes('to both'))?.rcptTo).toEqual(['stays@acme.example']);
  const audit = (await listAudit(db(), ticketId)).find((a) => a.action === 'mail_recipient_refused');
  expect(audit?.details).toEqual({ messageRowId: id, to: ['left@acme.example'] });
});

test('a sender whose address cannot be written gets no acknowledgement, and the mail is still a ticket', async () => {
  await deliver(t.mailboxUser, [mail('Intranet <ivan@intranet>', 'From the intranet', 'r4@intranet')]);
  const m = await eventually('the ticket', async () =>
    (await db().query<{ ticket_id: number; from_address: string }>(`select ticket_id, from_address from messages where message_id = 'r4@intranet'`))[0]);
  expect(m.from_address).toBe('ivan@intranet');
  expect(await db().query(`select id from messages where ticket_id = $1 and direction = 'out'`, [m.ticket_id])).toEqual([]);
  expect(smtp.rcptAttempts).not.toContain('ivan@intranet');
});

test('at most N automatic mails go to one address a day; the next is held back and noted, not retried', async () => {
  await deliver(t.mailboxUser, ['one', 'two', 'three'].map((n) => mail('Loop <loop@acme.example>', `Request ${n}`, `cap-${n}@acme.example`)));
  const rows = await eventually('three acks ended', async () => {
    const r = await Promise.all(['one', 'two', 'three'].map((n) => rowFor(`cap-${n}@acme.example`)));
    return r.every((x) => x && x.send_state !== 'pending') && r;
  });
  expect(rows.map((r) => r.send_state).sort()).toEqual(['sent', 'sent', 'suppressed']);
  const held = rows.find((r) => r.send_state === 'suppressed')!;
  expect(held.send_error).toBe('daily_cap loop@acme.example');
  expect((await listAudit(db(), held.ticket_id)).map((a) => a.action)).toContain('mail_suppressed');
  await eventually('the send jobs are done', mailOutIdle);
  expect(attemptsTo('loop@acme.example')).toBe(2);
  expect(smtp.received.filter((r) => r.rcptTo.includes('loop@acme.example'))).toHaveLength(2);
});

test('the daily count holds under concurrent workers and within one job, and a retried mail is not counted twice', async () => {
  const { ticket_id: ticketId } = await rowFor('r1@acme.example');
  const insert = () => insertOutboundMail(db(), {
    ticketId, kind: 'resolved', to: ['race@acme.example'], bodyText: '', language: 'en', authorEmployeeId: null,
    messageIdDomain: 'modest.example', at: new Date(),
  });
  const ids = await Promise.all(Array.from({ length: 8 }, insert));
  const now = new Date();
  // Six jobs at once: four of one mail each, one of two, one of two more.
  const jobs = [[ids[0]], [ids[1]], [ids[2]], [ids[3]], [ids[4], ids[5]], [ids[6], ids[7]]];
  const over = new Map<number, string[]>();
  for (const m of await Promise.all(jobs.map((job) => countAutomaticMails(db(), job.map((id) => ({ id, to: ['Race@acme.example'] })), 3, now)))) {
    for (const [id, full] of m) over.set(id, full);
  }
  const allowed = ids.filter((id) => !over.has(id));
  expect(allowed).toHaveLength(3);
  expect([...over.values()].every((o) => o.length === 1 && o[0] === 'race@acme.example')).toBe(true);
  // A job run again counts its mails that were counted already as they were, and holds the rest back still.
  const again = await countAutomaticMails(db(), ids.map((id) => ({ id, to: ['race@acme.example'] })), 3, new Date());
  expect(ids.filter((id) => !again.has(id))).toEqual(allowed);
  const [{ n }] = await db().query<{ n: number }>(`select count(*)::int as n from auto_mail_sends where address = 'race@acme.example'`);
  expect(n).toBe(3);
});

test('a long subject is cut to about 200 characters at a word, with an ellipsis', async () => {
  const subject = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ') + ' ' + 'Очень длинная тема письма '.repeat(6).trim();
  await deliver(t.mailboxUser, [mail('Long <long@acme.example>', `=?utf-8?B?${Buffer.from(subject).toString('base64')}?=`, 'long@acme.example')]);
  const ack = await eventually('the ack', async () => smtp.received.find((r) => r.rcptTo.includes('long@acme.example')));
  const sent = ack.mail.subject!;
  expect([...sent].length).toBeLessThanOrEqual(200);
  expect([...sent].length).toBeGreaterThan(150);
  expect(sent.endsWith('…')).toBe(true);
  const full = sent.replace(/^\[#\d+\] /, '');
  const kept = full.slice(0, -1);
  expect(subject.startsWith(kept)).toBe(true);
  expect(subject[kept.length]).toBe(' ');
  // Recorded as sent just after the relay took it: the listener may have it a moment before.
  const row = await eventually('the ack recorded as sent', async () => (await db().query<{ subject: string }>(
    `select subject from messages where direction = 'out' and in_reply_to = 'long@acme.example' and send_state = 'sent'`))[0]);
  expect(row.subject).toBe(sent);
});
