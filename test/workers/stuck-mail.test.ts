import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { deliver, fixture } from '../harness/app.js';
import { firstMessageOfMail, useMailApp } from '../harness/mail-app.js';
import { eventually } from '../harness/wait.js';
import { listMessages } from '../../tickets/store/message-repo.js';
import type { StuckMailReport } from '../../workers/check-stuck-mail.js';

const logLines: Array<Record<string, unknown>> = [];

// Longer than PostgreSQL's b-tree index rows allow (about 2.7 KB), and random, so not compressible:
// the store refuses this mail whatever we retry. A real broken mailer's kind of fault.
const hugeId = `${crypto.randomBytes(3000).toString('hex')}@broken-mailer.example`;
const refused = `From: Pavel <pavel@stuck.example>\r\nTo: support@modest.example\r\nSubject: Report with a broken id\r\n`
  + `Date: Thu, 03 Dec 2026 10:00:00 +0300\r\nMessage-ID: <${hugeId}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`
  + 'Отчёт за ноябрь во вложении не открывается.\r\n';
const after = `From: Irina <irina@stuck.example>\r\nTo: support@modest.example\r\nSubject: The mail after\r\n`
  + 'Message-ID: <after-1@stuck.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nНе работает VPN.\r\n';

const sink = new Writable({ write(chunk, _enc, done) { logLines.push(JSON.parse(String(chunk))); done(); } });
const ctx = useMailApp({
  log: pino({ level: 'info' }, sink),
  prepare: ({ t }) => deliver(t.mailboxUser, [fixture('nul-bytes.eml'), refused, after]),
});

const stored = (messageId: string) => firstMessageOfMail(ctx.app, messageId);

test('a mail whose text holds NUL bytes and a lone surrogate is stored, text cleaned, raw source byte-exact', async () => {
  const msg = await eventually('the NUL mail', () => stored('nul-1@nul.example'), 30_000);
  expect(msg.subject).toBe('Export fails again\ufffd');
  expect(msg.bodyText).toBe('The export stops at record42 and writes nothing.');
  expect(msg.bodyHtml).toContain('кодошибки');
  expect(msg.attachments.map((a) => a.filename)).toEqual(['dump.txt']);
  // The attachment's own bytes, NULs and all, are kept as they came.
  expect(await ctx.app.core.blobs.get(msg.attachments[0].sha256!)).toEqual(Buffer.from('raw\x00bytes\x00kept'));
  const raw = await ctx.app.intake.rawMail.read(msg.rawRef!);
  expect(crypto.createHash('sha256').update(raw).digest('hex')).toBe(msg.rawSha256);
  expect(raw.toString('latin1')).toContain('record=0042=00');
});

test('a mail the store refuses does not hold back the mail after it, and ends as unparsed with the error', async () => {
  const next = await eventually('the mail after', () => stored('after-1@stuck.example'), 30_000);
  expect(next.bodyText).toContain('Не работает VPN.');
  await eventually('its acknowledgement', async () => ctx.smtp.received.find((r) => r.rcptTo.includes('irina@stuck.example')));

  const [row] = await eventually('the refused mail, kept', () => ctx.app.core.db.query<{ ticket_id: number }>(
    `select ticket_id from messages where from_address = 'pavel@stuck.example'`).then((r) => r.length > 0 && r), 30_000);
  const [msg] = await listMessages(ctx.app.core.db, row.ticket_id);
  expect(msg.unparsed).toBe(true);
  expect(msg.parseError).toMatch(/^not stored as parsed: .*index row/);
  // What could be kept is kept: subject, text and the raw source to read the rest from.
  expect(msg.subject).toBe('Report with a broken id');
  expect(msg.bodyText).toContain('Отчёт за ноябрь');
  expect((await ctx.app.intake.rawMail.read(msg.rawRef!)).toString()).toContain(hugeId);
  // Not answered.
  expect((await listMessages(ctx.app.core.db, row.ticket_id)).filter((m) => m.direction === 'out')).toEqual([]);
});

test('the refused mail is named in readiness and in an error log line; nothing is left retrying', async () => {
  await eventually('the refused mail, kept', async () => (await ctx.app.core.db.query(
    `select 1 from messages where parse_error like 'not stored as parsed:%'`)).length > 0, 30_000);
  const report = await eventually('nothing stuck', async () => {
    const r = await ctx.app.core.checks.mail() as StuckMailReport;
    return r.ok && r;
  });
  expect(report.detail.stuck).toEqual([]);
  expect(report.detail.keptUnparsed).toEqual([expect.objectContaining({
    mailbox: 'support', source: expect.stringMatching(/:\d+$/), error: expect.stringMatching(/^not stored as parsed: /) })]);

  const errors = logLines.filter((l) => l.level === 50 && l.messageId === hugeId);
  expect(errors.map((l) => l.msg)).toContain('mail could not be committed; kept as unparsed with the error');
  expect(errors[0]).toEqual(expect.objectContaining({ mailbox: 'support', uid: expect.stringMatching(/^\d+$/), err: expect.stringMatching(/index row/) }));
  // Each failed try before that was logged as an error too, naming the mail: never silent.
  expect(logLines.some((l) => l.level === 50 && l.msg === 'mail could not be committed; will retry' && l.messageId === hugeId)).toBe(true);
});

test('the refused mail fetched again (a second copy in the mailbox) is recognised, not stored twice', async () => {
  await eventually('the refused mail, kept', async () => (await ctx.app.core.db.query(
    `select 1 from messages where parse_error like 'not stored as parsed:%'`)).length > 0, 30_000);
  await deliver(ctx.t.mailboxUser, [refused]);
  await eventually('the second copy taken', async () => (await ctx.app.core.db.query('select 1 from mail_receipts')).length === 4, 30_000);
  const [{ n }] = await ctx.app.core.db.query<{ n: number }>(`select count(*)::int as n from messages where direction = 'in'`);
  expect(n).toBe(3);
});
