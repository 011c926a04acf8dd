import type { Job } from 'bullmq';
import { deliver } from '../../harness/app.js';
import { useMailApp } from '../../harness/mail-app.js';
import { eventually } from '../../harness/wait.js';
import { createLogger } from '../../../main/logger.js';
import { SmtpSender } from '../../../connectors/mail/smtp-sender.js';
import { listAudit } from '../../../tickets/store/audit-repo.js';
import { insertOutboundMail } from '../../../tickets/store/message-repo.js';
import { makeSendMail } from '../../../workers/send-mail.js';
import type { SendMailJob } from '../../../workers/jobs.js';

const ctx = useMailApp();

const b64 = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;

/** A mail as it arrives: the case's own headers, then the usual ones and a plain body. */
function plain(id: string, headers: string[], body = 'Текст письма.'): string {
  return [...headers, 'To: support@modest.example', `Message-ID: <${id}>`, 'Date: Mon, 23 Nov 2026 10:20:00 +0300', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body, ''].join('\r\n');
}

/** An RFC 6522 report (delivery status, read receipt, abuse feedback): a human part and the machine part. */
function report(id: string, headers: string[], reportType: string, machinePart: string): string {
  return [...headers, 'To: support@modest.example', `Message-ID: <${id}>`, 'Date: Mon, 23 Nov 2026 10:20:00 +0300', 'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=${reportType}; boundary="R"`, '',
    '--R', 'Content-Type: text/plain; charset=us-ascii', '', 'This is an automatically generated report.', '',
    '--R', `Content-Type: message/${reportType === 'feedback-report' ? 'feedback-report' : reportType}`, '', machinePart, '',
    '--R--', ''].join('\r\n');
}

const dsn = 'Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; gone@client.example\r\nAction: failed\r\nStatus: 5.1.1';

// Header sets as real mailers send them (Postfix, Gmail, Exchange, Exim, Yandex, sendmail, Outlook, list managers, DMARC reporters).
const MACHINES: Array<[string, string, string]> = [
  ['postfix bounce', 'bounce', report('m1@mx.example', ['From: MAILER-DAEMON@mx.client.example (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender', 'Auto-Submitted: auto-replied'], 'delivery-status', dsn)],
  ['gmail DSN', 'bounce', report('m2@mx.google.example', ['From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    'Subject: Delivery Status Notification (Failure)', 'X-Failed-Recipients: gone@client.example'], 'delivery-status', dsn)],
  ['exchange NDR', 'bounce', report('m3@corp.example', [
    'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example>',
    `Subject: ${b64('Undeliverable: Счёт за ноябрь')}`], 'delivery-status', dsn)],
  ['exim bounce', 'bounce', plain('m4@exim.example', ['From: Mail Delivery System <Mailer-Daemon@exim.example>',
    'Subject: Mail delivery failed: returning message to sender', 'X-Failed-Recipients: gone@client.example'])],
  ['yandex bounce', 'bounce', plain('m5@yandex.example', ['From: mailer-daemon@yandex.ru', `Subject: ${b64('Недоставленное сообщение')}`])],
  ['null return-path', 'bounce', plain('m6@relay.example', ['Return-Path: <>', 'From: robot@relay.example', 'Subject: Message status'])],
  ['sendmail bounce by subject', 'bounce', plain('m7@old.example', ['From: admin@old.example',
    'Subject: Returned mail: see transcript for details'])],
  ['display name only', 'bounce', plain('m8@relay2.example', ['From: "Mail Delivery Subsystem" <relay@relay2.example>',
    'Subject: Warning: could not send message for past 4 hours'])],
  ['outlook out of office', 'auto_reply', plain('m9@client.example', ['From: Anna <anna.ooo@client.example>',
    'Subject: Automatic reply: Printer', 'Auto-Submitted: auto-generated', 'X-Auto-Response-Suppress: All'])],
  ['russian outlook, subject only', 'auto_reply', plain('m10@client.example', ['From: Boris <boris@client.example>',
    `Subject: ${b64('Автоматический ответ: Принтер не печатает')}`])],
  ['autoresponder, subject only', 'auto_reply', plain('m11@client.example', ['From: Vera <vera@client.example>',
    `Subject: ${b64('Автоответ: Принтер не печатает')}`])],
  ['old exchange, russian', 'auto_reply', plain('m12@client.example', ['From: Gleb <gleb@client.example>',
    `Subject: ${b64('Нет на месте: Принтер не печатает')}`])],
  ['out of office subject', 'auto_reply', plain('m13@client.example', ['From: Dina <dina@client.example>', 'Subject: Out of Office: Printer'])],
  ['auto: subject', 'auto_reply', plain('m14@client.example', ['From: Egor <egor@client.example>', 'Subject: Auto: Printer'])],
  ['precedence auto_reply', 'auto_reply', plain('m15@client.example', ['From: Zoya <zoya@client.example>', 'Subject: Re: Printer',
    'Precedence: auto_reply'])],
  ['x-autoreply', 'auto_reply', plain('m16@mail.example', ['From: Ilya <ilya@mail.example>', 'Subject: Re: Printer', 'X-Autoreply: yes'])],
  ['x-autorespond', 'auto_reply', plain('m17@mail.example', ['From: Kira <kira@mail.example>', 'Subject: Re: Printer',
    'X-Autorespond: Printer'])],
  ['read receipt', 'auto_reply', report('m18@client.example', ['From: Lev <lev@client.example>', 'Subject: Read: Printer'],
    'disposition-notification', 'Final-Recipient: rfc822; lev@client.example\r\nDisposition: manual-action/MDN-sent-manually; displayed')],
  ['mailing list', 'bulk', plain('m19@lists.example', ['From: Maria <maria@dev.example>', 'Subject: [dev] release 2.0',
    'List-Id: <dev.lists.example>', 'List-Unsubscribe: <mailto:dev-leave@lists.example>', 'Precedence: list'])],
  ['newsletter', 'bulk', plain('m20@news.example', ['From: Shop <news@shop.example>', 'Subject: Black Friday',
    'List-Unsubscribe: <https://shop.example/u/1>'])],
  ['ezmlm list', 'bulk', plain('m21@ezmlm.example', ['From: Nina <nina@other.example>', 'Subject: question',
    'Mailing-List: contact users-help@ezmlm.example; run by ezmlm'])],
  ['precedence bulk', 'bulk', plain('m22@bulk.example', ['From: Oleg <oleg@bulk.example>', 'Subject: Hello', 'Precedence: bulk'])],
  ['dmarc aggregate report', 'report', plain('m23@google.example', ['From: noreply-dmarc-support@google.com',
    'Subject: Report domain: modest.example Submitter: google.com Report-ID: <1234567890>'])],
  ['abuse feedback (ARF)', 'report', report('m24@fbl.example', ['From: fbl@fbl.example', 'Subject: complaint about message'],
    'feedback-report', 'Feedback-Type: abuse\r\nUser-Agent: fbl/1.0\r\nVersion: 1')],
  ['no-reply sender', 'no_reply', plain('m25@portal.example', ['From: Portal <no-reply@portal.example>', 'Subject: Your invoice'])],
  ['noreply sender', 'no_reply', plain('m26@portal.example', ['From: noreply@service.example', 'Subject: Password changed'])],
  ['donotreply sender', 'no_reply', plain('m27@portal.example', ['From: DoNotReply@bank.example', 'Subject: Statement'])],
  ['bounces VERP sender', 'no_reply', plain('m28@esp.example', ['From: bounces+123-abc=modest.example@esp.example', 'Subject: Receipt'])],
];

// People whose words look like a robot's: they are answered like anyone else.
const PEOPLE: Array<[string, string]> = [
  ['p1@acme.example', plain('p1@acme.example', ['From: Petr <petr@acme.example>', 'Subject: Auto insurance documents'])],
  ['p2@acme.example', plain('p2@acme.example', ['From: Raisa <raisa@acme.example>',
    `Subject: ${b64('Автоответ не работает в открытых линиях')}`])],
  ['p3@acme.example', plain('p3@acme.example', ['From: Semen <semen@acme.example>', 'Subject: Re: Out of office schedule'])],
  ['p4@acme.example', plain('p4@acme.example', ['From: Taisia <taisia@acme.example>', 'Subject: Delivery of the new printer',
    'Auto-Submitted: no'])],
];

const ticketOf = async (messageId: string) => (await ctx.app.core.db.query<{ ticket_id: number; auto_kind: string | null; from_address: string }>(
  `select ticket_id, auto_kind, from_address from messages where message_id = $1`, [messageId]))[0];

beforeAll(async () => {
  await deliver(ctx.t.mailboxUser, [...MACHINES.map((c) => c[2]), ...PEOPLE.map((p) => p[1])]);
  await eventually('every mail on a ticket', async () => {
    const [{ n }] = await ctx.app.core.db.query<{ n: number }>(`select count(*)::int as n from messages where direction = 'in'`);
    return n === MACHINES.length + PEOPLE.length;
  });
  // The people's acknowledgements went through the same slices and send jobs as anything wrongly queued for a machine.
  await eventually('the people\'s acknowledgements', async () => ctx.smtp.received.length >= PEOPLE.length);
});

test.each(MACHINES.map(([name, kind, raw]) => [name, kind, /Message-ID: <([^>]+)>/.exec(raw)![1]]))(
  '%s is kept on a ticket, marked %s, and answered by nothing', async (_name, kind, messageId) => {
    const m = await ticketOf(messageId);
    expect(m.auto_kind).toBe(kind);
    const out = await ctx.app.core.db.query(`select id from messages where ticket_id = $1 and direction = 'out'`, [m.ticket_id]);
    expect(out).toEqual([]);
    expect(ctx.smtp.rcptAttempts).not.toContain(m.from_address);
  });

test.each(PEOPLE)('a person\'s mail %s is acknowledged', async (messageId) => {
  const m = await ticketOf(messageId);
  expect(m.auto_kind).toBeNull();
  const ack = await eventually('ack', async () => ctx.smtp.received.find((r) => r.mail.inReplyTo === `<${messageId}>`));
  expect(ack.rcptTo).toEqual([m.from_address]);
});

test.each([
  ['a bounce', 'm1@mx.example', 'machine_recipient'],
  ['an out-of-office reply', 'm9@client.example', 'automatic_ticket'],
])('a "resolved" notice for a ticket %s opened is held back, noted on the ticket, and never sent', async (_what, messageId, reason) => {
  const bounce = await ticketOf(messageId);
  const id = await insertOutboundMail(ctx.app.core.db, {
    ticketId: bounce.ticket_id, kind: 'resolved', to: [bounce.from_address], bodyText: '', language: 'ru',
    authorEmployeeId: null, messageIdDomain: 'modest.example', at: new Date(),
  });
  const sender = new SmtpSender(ctx.smtp.url, 'support@modest.example');
  const handler = makeSendMail({ db: ctx.app.core.db, smtp: sender, companyName: 'X', log: createLogger('silent', 't') });
  try {
    expect(await handler({ id: `resolved-${messageId}`, data: { messageRowIds: [id] } } as unknown as Job<SendMailJob>))
      .toEqual({ sent: 0, failed: 0, suppressed: 1 });
  } finally {
    sender.close();
  }
  const [row] = await ctx.app.core.db.query<{ send_state: string; send_error: string }>('select send_state, send_error from messages where id = $1', [id]);
  expect(row).toEqual({ send_state: 'suppressed', send_error: reason });
  expect((await listAudit(ctx.app.core.db, bounce.ticket_id)).map((a) => a.action)).toContain('mail_suppressed');
  expect(ctx.smtp.rcptAttempts).not.toContain(bounce.from_address);
});
