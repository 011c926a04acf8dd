import { deliver, fixture, flaggedCount } from '../../harness/app.js';
import { useMailApp } from '../../harness/mail-app.js';
import { eventually } from '../../harness/wait.js';
import { insertClient } from '../../../tickets/store/client-repo.js';
import { listMessages } from '../../../tickets/store/message-repo.js';
import { findTicketByNumber } from '../../../tickets/store/ticket-repo.js';

const ctx = useMailApp({
  prepare: async ({ app }) => {
    await insertClient(app.core.db, { company: 'ООО «Ромашка»', language: 'ru', domains: ['romashka.example'] });
    await insertClient(app.core.db, { company: 'Acme Inc.', language: 'en', contacts: [{ email: 'ivan@acme.example' }] });
  },
});

async function ticketBySubject(subject: string) {
  const [row] = await ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]);
  return row ? findTicketByNumber(ctx.app.core.db, row.number) : null;
}
const ackFor = (ticketNumber: number) => ctx.smtp.received.find((r) => r.mail.subject?.startsWith(`[#${ticketNumber}]`));

test.each([
  // The acknowledgement is in the language the mail is written in (an unknown sender's English
  // mail gets English though the default is ru).
  ['plain.eml', 'Printer does not print', 'prints blank pages since Monday', 'Acme Inc.', 'is registered as ticket'],
  ['html-only.eml', 'Cannot log in to the portal', 'cannot log in to the portal', null, 'is registered as ticket'],
  ['cp1251-qp.eml', 'Не работает 1С', 'не запускается 1С: ошибка лицензии', 'ООО «Ромашка»', 'зарегистрировано'],
  ['koi8r-base64.eml', 'Сломалась почта', 'очередь растёт', 'ООО «Ромашка»', 'зарегистрировано'],
])('%s becomes a ticket with its subject and text, and the client is acknowledged', async (file, subject, text, company, phrase) => {
  await deliver(ctx.t.mailboxUser, [fixture(file)]);
  const ticket = await eventually(`ticket "${subject}"`, () => ticketBySubject(subject));
  expect(ticket.status).toBe('new');
  const [msg] = await listMessages(ctx.app.core.db, ticket.id);
  expect(msg.bodyText).toContain(text);
  const [client] = ticket.clientId
    ? await ctx.app.core.db.query<{ company: string }>('select company from clients where id = $1', [ticket.clientId]) : [null];
  expect(client?.company ?? null).toBe(company);

  const ack = await eventually('acknowledgement', async () => ackFor(ticket.number));
  expect(ack.rcptTo).toEqual([msg.fromAddress]);
  expect(ack.mail.subject).toBe(`[#${ticket.number}] ${subject}`);
  expect(ack.mail.inReplyTo).toBe(`<${msg.messageId}>`);
  expect([ack.mail.references].flat()).toContain(`<${msg.messageId}>`);
  expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
  expect(ack.mail.text).toContain(`#${ticket.number}`);
  expect(ack.mail.text).toContain(phrase);
});

const plainMail = (from: string, subject: string, text: string, id: string) => [
  `From: ${from}`, 'To: support@modest.example', `Subject: ${subject}`, `Message-ID: <${id}>`, 'Date: Mon, 23 Nov 2026 10:00:00 +0300',
  'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', text, '',
].join('\r\n');

test('a Russian letter from an English-speaking client is acknowledged in Russian; one that says too little, in the client\'s language', async () => {
  await deliver(ctx.t.mailboxUser, [
    plainMail('Ivan Petrov <ivan@acme.example>', 'Не работает принтер', 'Добрый день! Принтер в бухгалтерии не печатает с утра.', 'lang-ru@acme.example'),
    plainMail('Ivan Petrov <ivan@acme.example>', 'ОК', 'Спасибо!', 'lang-short@acme.example'),
  ]);
  const russian = await eventually('the Russian ticket', () => ticketBySubject('Не работает принтер'));
  expect((await eventually('its acknowledgement', async () => ackFor(russian.number))).mail.text).toContain('зарегистрировано');
  const short = await eventually('the short ticket', () => ticketBySubject('ОК'));
  expect((await eventually('its acknowledgement', async () => ackFor(short.number))).mail.text).toContain('is registered as ticket');
});

test('HTML is kept sanitized: no scripts, no event handlers', async () => {
  const ticket = await eventually('html ticket', () => ticketBySubject('Cannot log in to the portal'));
  const [msg] = await listMessages(ctx.app.core.db, ticket.id);
  expect(msg.bodyHtml).toContain('<b>cannot log in</b>');
  expect(msg.bodyHtml).not.toMatch(/script|onclick|alert/);
});

test('a reply by subject tag, and one by In-Reply-To alone, land in the existing ticket', async () => {
  const ticket = await eventually('plain ticket', () => ticketBySubject('Printer does not print'));
  const ack = await eventually('ack', async () => ackFor(ticket.number));
  await deliver(ctx.t.mailboxUser, [
    `From: Ivan Petrov <ivan@acme.example>\r\nTo: support@modest.example\r\nSubject: Re: [#${ticket.number}] Printer does not print\r\n`
      + 'Message-ID: <tag-reply@acme.example>\r\n\r\nIt prints again after a restart, thanks.\r\n',
    `From: Ivan Petrov <ivan@acme.example>\r\nTo: support@modest.example\r\nSubject: one more thing\r\n`
      + `Message-ID: <irt-reply@acme.example>\r\nIn-Reply-To: ${ack.mail.messageId}\r\n\r\nAnd the toner is low.\r\n`,
  ]);
  const messages = await eventually('two replies on the ticket', async () => {
    const m = await listMessages(ctx.app.core.db, ticket.id);
    return m.filter((x) => x.direction === 'in').length === 3 && m;
  });
  expect(messages.map((m) => m.bodyText)).toEqual(expect.arrayContaining([
    expect.stringContaining('prints again'), expect.stringContaining('toner is low')]));
  const [{ n }] = await ctx.app.core.db.query<{ n: number }>(`select count(*)::int as n from tickets where subject = 'one more thing'`);
  expect(n).toBe(0);
});

test('an auto-reply and a bounce are kept but answered by nothing', async () => {
  const before = ctx.smtp.received.length;
  await deliver(ctx.t.mailboxUser, [fixture('auto-reply.eml'), fixture('bounce.eml')]);
  const kinds = await eventually('both kept', async () => {
    const rows = await ctx.app.core.db.query<{ auto_kind: string }>(
      `select auto_kind from messages where message_id in ('ooo-1@acme.example', 'bounce-1@mx.acme.example') order by auto_kind`);
    return rows.length === 2 && rows.map((r) => r.auto_kind);
  });
  expect(kinds).toEqual(['auto_reply', 'bounce']);
  // Give the outbound queue time to send anything it (wrongly) might have queued.
  await new Promise((r) => setTimeout(r, 1500));
  expect(ctx.smtp.received.slice(before).map((r) => r.mail.subject)).toEqual([]);
  const [{ n }] = await ctx.app.core.db.query<{ n: number }>(`select count(*)::int as n from messages where direction = 'out' and ticket_id in
    (select ticket_id from messages where message_id in ('ooo-1@acme.example', 'bounce-1@mx.acme.example'))`);
  expect(n).toBe(0);
});

test('a malformed mail is kept as "unparsed", never dropped, and not answered', async () => {
  await deliver(ctx.t.mailboxUser, [fixture('malformed.eml')]);
  const ticket = await eventually('unparsed ticket', async () => {
    const [row] = await ctx.app.core.db.query<{ number: number }>('select number from tickets where unparsed');
    return row && findTicketByNumber(ctx.app.core.db, row.number);
  });
  expect(ticket.subject).toBe('(unparsed message)');
  const [msg] = await listMessages(ctx.app.core.db, ticket.id);
  expect(msg.unparsed).toBe(true);
  // "Unparsed" only because not a single header can be read; the text it has is kept.
  expect(msg.parseError).toBe('no mail headers');
  expect(msg.bodyText).toContain('this is not a mail: no headers at all');
  // The raw source is kept as the server gave it (Dovecot replaces NUL bytes).
  expect((await ctx.app.intake.rawMail.read(msg.rawRef!)).toString('latin1')).toContain('this is not a mail: no headers at all');
  expect((await listMessages(ctx.app.core.db, ticket.id)).filter((m) => m.direction === 'out')).toEqual([]);
});

test('every ingested mail is flagged on the server once its ticket is committed', async () => {
  const counts = await eventually('all flagged', async () => {
    const c = await flaggedCount(ctx.t.mailboxUser, ctx.app.config.mail.processedKeyword);
    return c.total > 0 && c.flagged === c.total && c;
  });
  const [{ n }] = await ctx.app.core.db.query<{ n: number }>(`select count(*)::int as n from messages where direction = 'in'`);
  expect(n).toBe(counts.total);
});
