import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../tickets/store/db.js';
import { BlobStore, sha256 } from '../../connectors/mail/blob-store.js';
import { SmtpSender } from '../../connectors/mail/smtp-sender.js';
import { draftReport, type ReportDeps } from '../../reports/draft-report.js';
import { approveAllReports, approveReport } from '../../reports/approve-report.js';
import { publishReport } from '../../reports/publish-report.js';
import { summarizeMonth } from '../../reports/summarize-month.js';
import { ReportHeldError, ReportNotApprovedError } from '../../reports/errors.js';
import { SmtpSink } from '../harness/smtp-sink.js';
import { eventually } from '../harness/wait.js';
import { makeClient, makeTicket, openTestDb } from './factories.js';

let db: Db;
let deps: ReportDeps;
let sink: SmtpSink;
let smtp: SmtpSender;
const month = '2026-10';

beforeAll(async () => {
  db = await openTestDb('postgres');
  deps = { db, blobs: new BlobStore(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-report-blobs-'))), companyName: 'Modest Support' };
  sink = await SmtpSink.start();
  smtp = new SmtpSender(sink.url, 'Modest Support <support@modest.example>');
});
afterAll(async () => {
  smtp.close();
  await sink.down();
  await db.close();
});

const publishDeps = () => ({ db, blobs: deps.blobs, smtp, messageIdDomain: 'modest.example' });

test('review holds a report with a ticket closed without time until the time is recorded and the report re-drafted', async () => {
  const held = await makeClient(db, 'ООО «Забыли время»');
  const fine = await makeClient(db, 'ООО «Всё в порядке»');
  const [t] = await db.query<{ id: number; number: number }>('select id, number from tickets where number = $1',
    [await makeTicket(db, { clientId: held, status: 'awaiting_time', closedAt: '2026-10-30T18:00:00+03:00' })]);
  await makeTicket(db, { clientId: fine, closedAt: '2026-10-30T18:00:00+03:00', entries: [{ minutes: 20 }] });
  const heldDraft = await draftReport(deps, held, month);
  const fineDraft = await draftReport(deps, fine, month);
  const summary = await summarizeMonth(db, month);
  expect(summary.missingTime).toEqual(expect.arrayContaining([expect.objectContaining({ clientId: held, tickets: [expect.objectContaining({ number: t.number })] })]));
  const all = await approveAllReports(db, month, 'qc');
  expect(all.approved.map((r) => r.id)).toContain(fineDraft.report.id);
  expect(all.held.map((r) => r.id)).toEqual([heldDraft.report.id]);
  await expect(approveReport(db, heldDraft.report.id, 'qc')).rejects.toThrow(ReportHeldError);
  await expect(publishReport(publishDeps(), heldDraft.report.id)).rejects.toThrow(ReportNotApprovedError);
  // The specialist records the time (on the 1st, during the review); the ticket stays October's.
  await db.query('insert into time_entries (ticket_id, minutes, billable) values ($1, 35, true)', [t.id]);
  await db.query(`update tickets set status = 'resolved', resolved_at = '2026-11-01T10:00:00+03:00' where id = $1`, [t.id]);
  const fixed = await draftReport(deps, held, month);
  expect(fixed.report).toMatchObject({ held: false, billableMinutes: 35, ticketCount: 1 });
  expect((await approveReport(db, heldDraft.report.id, 'qc')).status).toBe('approved');
});

test('publishing mails the PDF to the report contacts only, once, and marks the report published', async () => {
  const c = await makeClient(db, 'ООО «Получатель»', { reportEmails: ['Boss@Receiver.example', 'acc@receiver.example'], otherEmails: ['user@receiver.example'] });
  await makeTicket(db, { clientId: c, closedAt: '2026-10-12T10:00:00+03:00', entries: [{ minutes: 95 }] });
  const { report } = await draftReport(deps, c, month);
  await approveReport(db, report.id, 'qc');
  const before = sink.received.length;
  const result = await publishReport(publishDeps(), report.id);
  expect(result.mailedTo).toEqual(['acc@receiver.example', 'boss@receiver.example']);
  const got = await eventually('the report mail', async () => sink.received[before]);
  expect(got.rcptTo.sort()).toEqual(['acc@receiver.example', 'boss@receiver.example']);
  expect(got.mail.subject).toBe('Отчёт о поддержке за октябрь 2026 — ООО «Получатель»');
  const [pdf] = got.mail.attachments;
  expect(pdf).toMatchObject({ filename: 'report-2026-10.pdf', contentType: 'application/pdf' });
  expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
  expect(sha256(pdf.content)).toBe(report.pdfSha256);
  expect(await publishReport(publishDeps(), report.id)).toMatchObject({ already: true });
  await new Promise((r) => setTimeout(r, 300));
  expect(sink.received.length).toBe(before + 1);
  const [row] = await db.query<{ status: string; published_to: string[] }>('select status, published_to from reports where id = $1', [report.id]);
  expect(row).toEqual({ status: 'published', published_to: ['acc@receiver.example', 'boss@receiver.example'] });
});
