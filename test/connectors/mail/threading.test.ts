import { SmtpSink } from '../../harness/smtp-sink.js';
import { deliver, makeTestEnv, startApp, type RunningApp, type TestEnv } from '../../harness/app.js';
import { clientMail } from '../../harness/messenger.js';
import { eventually } from '../../harness/wait.js';
import { listAudit } from '../../../tickets/store/audit-repo.js';
import { listMessages } from '../../../tickets/store/message-repo.js';

let smtp: SmtpSink;
let t: TestEnv;
// Two apps on one database, queue and mailbox: two intakes and two sets of ingest workers, as
// two processes would be; small slices, four of them in flight per worker set.
let apps: RunningApp[];

beforeAll(async () => {
  smtp = await SmtpSink.start();
  t = await makeTestEnv({ smtp, extra: { MAIL_FETCH_BATCH: '3', INGEST_CONCURRENCY: '4' } });
  apps = [await startApp(t), await startApp(t)];
}, 60_000);
afterAll(async () => {
  for (const app of apps) await app.stop();
  await smtp.down();
});

const db = () => apps[0].core.db;
const ticketIdOf = async (messageId: string) => eventually(`mail ${messageId} stored`, async () =>
  (await db().query<{ ticket_id: number }>('select ticket_id from messages where message_id = $1', [messageId]))[0]?.ticket_id);
const idle = () => eventually('nothing left to send', async () =>
  (await db().query(`select 1 from messages where send_state = 'pending'`)).length === 0);

/** A reply with a PDF attached, naming only its parent. */
function replyWithAttachment(messageId: string, parent: string): string {
  return [
    'From: Olga <olga@romashka.example>', 'To: support@modest.example', 'Subject: Re: Invoices are not sent',
    `Message-ID: <${messageId}>`, `In-Reply-To: <${parent}>`, `References: <${parent}>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '',
    'The log is attached.', '--b1', 'Content-Type: application/pdf; name="log.pdf"', 'Content-Disposition: attachment; filename="log.pdf"',
    'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 log').toString('base64'), '--b1--', '',
  ].join('\r\n');
}

test('a reply fetched before its original ends on one ticket with it: mail, attachment and audit kept, one acknowledgement', async () => {
  await deliver(t.mailboxUser, [replyWithAttachment('inv-2@romashka.example', 'inv-1@romashka.example')]);
  const ticketId = await ticketIdOf('inv-2@romashka.example');
  await eventually('the early reply acknowledged', async () => smtp.received.some((r) => r.mail.inReplyTo === '<inv-2@romashka.example>'));
  await deliver(t.mailboxUser, [clientMail({
    from: 'Olga <olga@romashka.example>', subject: 'Invoices are not sent', text: 'Invoices stopped going out on Friday.', messageId: 'inv-1@romashka.example' })]);
  expect(await ticketIdOf('inv-1@romashka.example')).toBe(ticketId);
  await idle();
  const messages = await listMessages(db(), ticketId);
  expect(messages.filter((m) => m.direction === 'in').map((m) => m.messageId)).toEqual(['inv-2@romashka.example', 'inv-1@romashka.example']);
  expect(messages[0].attachments).toEqual([expect.objectContaining({ filename: 'log.pdf', contentType: 'application/pdf' })]);
  expect((await listAudit(db(), ticketId)).map((a) => a.action)).toEqual(['created', 'mail_received']);
  expect(messages.filter((m) => m.kind === 'ack')).toHaveLength(1);
  expect(smtp.received.filter((r) => /Invoices are not sent/.test(r.mail.subject ?? ''))).toHaveLength(1);
  const [{ n }] = await db().query<{ n: number }>(`select count(*)::int as n from tickets where subject like '%Invoices are not sent'`);
  expect(n).toBe(1);
}, 60_000);

test('a 100-mail thread delivered out of order, in many slices in flight on two worker sets, ends on one ticket', async () => {
  const ids = Array.from({ length: 100 }, (_, i) => `deploy-${i}@vector.example`);
  // Most mailers name only the parent; every fifth mail keeps two ancestors as well.
  const raws = ids.map((id, i) => {
    const raw = clientMail({
      from: 'ivan@vector.example', subject: i === 0 ? 'Deploy pipeline' : 'Re: Deploy pipeline', text: `Step ${i}.`, messageId: id,
      inReplyTo: i > 0 ? ids[i - 1] : undefined,
    });
    return i % 5 === 0 && i > 1 ? raw.replace('\r\nDate:', `\r\nReferences: <${ids[i - 2]}> <${ids[i - 1]}>\r\nDate:`) : raw;
  });
  await deliver(t.mailboxUser, [...raws].sort(() => Math.random() - 0.5));
  const tickets = await eventually('all 100 stored', async () => {
    const rows = await db().query<{ ticket_id: number }>('select ticket_id from messages where message_id = any($1)', [ids]);
    return rows.length === 100 && rows;
  }, 90_000);
  // Seen in one snapshot, all 100 transactions have committed: each left its links on one ticket.
  expect(new Set(tickets.map((r) => r.ticket_id)).size).toBe(1);
  const [survivor] = await db().query<{ status: string; subject: string; merged_into: number | null }>(
    'select status, subject, merged_into from tickets where id = (select ticket_id from messages where message_id = $1)', [ids[0]]);
  expect(survivor.merged_into).toBeNull();
  expect(survivor.status).toBe('new');
  const [{ open }] = await db().query<{ open: number }>(
    `select count(*)::int as open from tickets where status <> 'merged' and requester_email = 'ivan@vector.example'`);
  expect(open).toBe(1);
}, 150_000);
