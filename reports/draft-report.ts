import type { Db } from '../tickets/store/db.js';
import { sha256, type BlobStore } from '../connectors/mail/blob-store.js';
import { buildMonthReport } from './build-month-report.js';
import { ClientNotFoundError } from './errors.js';
import { loadMonthSnapshots, type MonthSnapshot } from './load-month-input.js';
import { assertMonthOver, DEFAULT_REPORT_ZONE } from './month-range.js';
import { renderReportPdf } from './render-report-pdf.js';
import type { ReportFonts } from './load-report-fonts.js';
import { getLatestReport, insertFirstReports, insertReport, redraftReport, type ReportContent, type StoredReport } from './report-repo.js';
import type { CompanyDetails, MonthReport } from './types.js';

export interface ReportDeps {
  db: Db;
  /** Where the PDFs live, by content (the same store as mail blobs). */
  blobs: BlobStore;
  /** Our company, printed on the report. */
  companyName: string;
  /** Our company's details at the foot of the report, per language. */
  companyDetails?: CompanyDetails;
  zone?: string;
  fonts?: ReportFonts;
}

export interface DraftOptions {
  /** Draft a month that is not over yet (an operator's explicit choice). */
  force?: boolean;
}

/** created: first version; unchanged: same data as stored; redrafted: unpublished report replaced; new_version: after a published one. */
export type DraftOutcome = 'created' | 'unchanged' | 'redrafted' | 'new_version';

export interface Drafted {
  clientId: number;
  outcome: DraftOutcome;
  report: StoredReport;
}

/**
 * What the client would see: the data, the name on top and the details at the foot (only when
 * they say more than the name, their default, so reports drafted before there were details
 * keep their hash). A layout change alone is no new version.
 */
export function reportContentSha256(report: MonthReport, companyName: string, companyDetails?: CompanyDetails): string {
  const details = companyDetails?.[report.client.language]?.trim();
  const more = details && details !== companyName.trim();
  return sha256(Buffer.from(JSON.stringify(more ? { companyName, report, details } : { companyName, report })));
}

/**
 * The decision for a client whose report exists (or appeared while we rendered), under the
 * client's row lock, so two runs for one client cannot both add a version: same content is
 * unchanged, an unpublished report is replaced, a published one gets the next version.
 */
function settle(deps: ReportDeps, clientId: number, content: ReportContent, now: Date): Promise<Drafted> {
  const month = content.report.month;
  return deps.db.transaction(async (tx) => {
    await tx.query('select id from clients where id = $1 for update', [clientId]);
    const latest = await getLatestReport(tx, clientId, month);
    const done = (outcome: DraftOutcome, report: StoredReport): Drafted => ({ clientId, outcome, report });
    if (!latest) return done('created', await insertReport(tx, clientId, month, 1, content, now));
    if (latest.contentSha256 === content.contentSha256) return done('unchanged', latest);
    if (latest.status === 'published') return done('new_version', await insertReport(tx, clientId, month, latest.version + 1, content, now));
    return done('redrafted', await redraftReport(tx, latest.id, content, now));
  });
}

/** Builds, hashes and (unless the stored report already has this content) renders and stores the PDF. */
async function prepare(deps: ReportDeps, s: MonthSnapshot): Promise<ReportContent | 'unchanged'> {
  const report = buildMonthReport(s.input);
  const contentSha256 = reportContentSha256(report, deps.companyName, deps.companyDetails);
  if (s.latestContentSha256 === contentSha256) return 'unchanged';
  const pdf = await renderReportPdf(report, { companyName: deps.companyName, companyDetails: deps.companyDetails, fonts: deps.fonts });
  return { report, contentSha256, pdfSha256: await deps.blobs.put(pdf), pdfBytes: pdf.length };
}

/**
 * Drafts (or re-drafts) the month's reports of several clients. Running it again with nothing
 * changed leaves every stored report untouched; a published report is never overwritten, a
 * change to it becomes the next version. The data is read in one statement and the usual
 * case on the 1st, first versions, is written in one; PDFs are rendered outside any
 * transaction. Clients that no longer exist are skipped. A month not over yet is refused
 * (MonthNotOverError) unless `force`.
 */
export async function draftReports(deps: ReportDeps, clientIds: readonly number[], month: string, now = new Date(),
  opts: DraftOptions = {}): Promise<Drafted[]> {
  assertMonthOver(month, deps.zone ?? DEFAULT_REPORT_ZONE, now, opts.force);
  const snapshots = await loadMonthSnapshots(deps.db, clientIds, month, deps.zone ?? DEFAULT_REPORT_ZONE);
  const results: Drafted[] = [];
  const later: Array<{ clientId: number; content: ReportContent }> = [];
  const firsts: Array<{ clientId: number; content: ReportContent }> = [];
  for (const s of snapshots) {
    const clientId = s.input.client.id;
    const content = await prepare(deps, s);
    if (content === 'unchanged') {
      const same = await getLatestReport(deps.db, clientId, s.input.month);
      if (same?.contentSha256 === s.latestContentSha256) results.push({ clientId, outcome: 'unchanged', report: same });
      else later.push({ clientId, content: (await prepare(deps, { ...s, latestContentSha256: null })) as ReportContent });
    } else (s.latestContentSha256 === null ? firsts : later).push({ clientId, content });
  }
  const inserted = new Map((await insertFirstReports(deps.db, month, firsts, now)).map((r) => [r.clientId, r]));
  for (const f of firsts) {
    const r = inserted.get(f.clientId);
    if (r) results.push({ clientId: f.clientId, outcome: 'created', report: r });
    else later.push(f);
  }
  for (const l of later) results.push(await settle(deps, l.clientId, l.content, now));
  return results;
}

/** Drafts one client's report for a month (see draftReports). */
export async function draftReport(deps: ReportDeps, clientId: number, month: string, now = new Date(),
  opts: DraftOptions = {}): Promise<Drafted> {
  const [r] = await draftReports(deps, [clientId], month, now, opts);
  if (!r) throw new ClientNotFoundError(clientId);
  return r;
}
