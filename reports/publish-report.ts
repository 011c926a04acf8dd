import type { Db, Sql } from '../tickets/store/db.js';
import type { Language } from '../tickets/types.js';
import type { BlobStore } from '../connectors/mail/blob-store.js';
import type { MailSender } from '../connectors/mail/smtp-sender.js';
import { ReportNotApprovedError, ReportNotFoundError } from './errors.js';
import { formatPeriod, REPORT_TEXT } from './report-text.js';
import { getReport, listLatestReports, REPORT_COLUMNS, rowToReport, type StoredReport } from './report-repo.js';

export interface PublishDeps {
  db: Db;
  blobs: BlobStore;
  smtp: MailSender;
  /** Right-hand side of our Message-IDs (the support address's domain). */
  messageIdDomain: string;
}

export interface PublishResult {
  report: StoredReport;
  mailedTo: string[];
  /** It was published already: nothing sent again. */
  already: boolean;
}

async function reportRecipients(sql: Sql, clientId: number): Promise<{ company: string; language: Language; emails: string[] }> {
  const [c] = await sql.query<{ company: string; language: Language; emails: string[] }>(`select c.company, c.language,
      array(select email from client_contacts where client_id = c.id and receives_reports order by email) as emails
    from clients c where c.id = $1`, [clientId]);
  return c;
}

/**
 * Publishes an approved report: mails the PDF to the client's report contacts, then marks it
 * published (which is what the cabinet shows). Under the report's row lock, so two runs send
 * one mail; if SMTP fails nothing is marked and the caller (a job) retries. A client without
 * report contacts still gets the report published in the cabinet.
 */
export async function publishReport(deps: PublishDeps, reportId: number, now = new Date()): Promise<PublishResult> {
  return deps.db.transaction(async (tx) => {
    const r = await getReport(tx, reportId, { forUpdate: true });
    if (!r) throw new ReportNotFoundError(reportId);
    if (r.status === 'published') return { report: r, mailedTo: r.publishedTo, already: true };
    if (r.status !== 'approved') throw new ReportNotApprovedError(r.id, r.status);
    const to = await reportRecipients(tx, r.clientId);
    if (to.emails.length > 0) {
      const t = REPORT_TEXT[to.language];
      const period = formatPeriod(r.month, to.language);
      await deps.smtp.send({
        to: to.emails, subject: t.mailSubject(period, to.company), text: t.mailBody(period, r.version),
        messageId: `report-${r.id}-v${r.version}@${deps.messageIdDomain}`, inReplyTo: null, references: [], autoSubmitted: false,
        attachments: [{
          filename: `report-${r.month}${r.version > 1 ? `-v${r.version}` : ''}.pdf`,
          content: await deps.blobs.get(r.pdfSha256), contentType: 'application/pdf',
        }],
      });
    }
    const [row] = await tx.query(`update reports set status = 'published', published_at = $2, published_to = $3
      where id = $1 returning ${REPORT_COLUMNS}`, [r.id, now, to.emails]);
    return { report: rowToReport(row), mailedTo: to.emails, already: false };
  });
}

/** Publishes every approved report of the month, one by one; a failure does not stop the others. */
export async function publishApprovedReports(deps: PublishDeps, month: string, now = new Date()):
  Promise<{ published: PublishResult[]; failed: Array<{ reportId: number; error: Error }> }> {
  const published: PublishResult[] = [];
  const failed: Array<{ reportId: number; error: Error }> = [];
  for (const r of (await listLatestReports(deps.db, month)).filter((x) => x.status === 'approved')) {
    try {
      published.push(await publishReport(deps, r.id, now));
    } catch (err) {
      failed.push({ reportId: r.id, error: err as Error });
    }
  }
  return { published, failed };
}
