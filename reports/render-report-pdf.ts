import PDFDocument from 'pdfkit';
import { monthRange } from './month-range.js';
import { drawTable, type TableColumn } from './draw-table.js';
import { drawCompanyDetails, drawContractTerms, drawReportHead, drawTotals, FONT } from './draw-report-sections.js';
import { formatDate, formatDuration, formatPeriod, REPORT_TEXT, type ReportText } from './report-text.js';
import { loadReportFonts, type ReportFonts } from './load-report-fonts.js';
import type { CompanyDetails, MonthReport, ReportTicket } from './types.js';

export interface RenderOptions {
  /** Our company, printed at the top. */
  companyName: string;
  /** Our company's details printed at the foot, in each language the reports are written in. */
  companyDetails?: CompanyDetails;
  fonts?: ReportFonts;
}

const MARGIN = { top: 48, bottom: 56, left: 40, right: 40 };
// No., opened, closed, subject, specialist, time, billable: 515 pt, the A4 width inside the margins.
// The time columns hold "10 ч 45 мин" on one line.
const COLUMNS: TableColumn[] = [
  { width: 42 }, { width: 56 }, { width: 56 }, { width: 148, maxLines: 3 }, { width: 86, maxLines: 2 },
  { width: 62, align: 'right' }, { width: 65 },
];
// No., opened, subject, specialist.
const OPEN_COLUMNS: TableColumn[] = [{ width: 42 }, { width: 56 }, { width: 289, maxLines: 3 }, { width: 128, maxLines: 2 }];

/** yes / no, or the billable part's time when only some of the ticket's time is billable. */
function billableLabel(x: ReportTicket, t: ReportText, lang: MonthReport['client']['language']): string {
  if (x.billableMinutes === x.minutes) return t.yes;
  if (x.billableMinutes === 0) return t.no;
  return formatDuration(x.billableMinutes, lang);
}

function ticketRows(r: MonthReport, t: ReportText): string[][] {
  const lang = r.client.language;
  return r.tickets.map((x) => [
    String(x.number), formatDate(x.openedAt, r.zone, lang), formatDate(x.closedAt, r.zone, lang), x.subject,
    x.specialist ?? '—', formatDuration(x.minutes, lang), billableLabel(x, t, lang),
  ]);
}

/**
 * Tickets open when the period ended, apart from the billed ones: the client sees that the
 * work goes on, and that it is not in this month's sum.
 */
function drawOpenTickets(doc: PDFKit.PDFDocument, r: MonthReport, t: ReportText): void {
  if (r.stillOpen.length === 0) return;
  const lang = r.client.language;
  if (doc.y + 90 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(12).fillColor('black').text(t.openTickets, MARGIN.left);
  doc.font(FONT.regular).fontSize(8).fillColor('#555555').text(t.openNote);
  doc.fillColor('black').moveDown(0.3);
  const rows = r.stillOpen.map((x) => [String(x.number), formatDate(x.since, r.zone, lang), x.subject, x.specialist ?? '—']);
  drawTable(doc, OPEN_COLUMNS, t.openColumns, rows, { font: FONT.regular, boldFont: FONT.bold, fontSize: 8, bottom: MARGIN.bottom });
}

/** "Page 2 of 5" on every page, written once the page count is known (pages are buffered). */
function stampFooters(doc: PDFKit.PDFDocument, r: MonthReport, t: ReportText): void {
  const { start, count } = doc.bufferedPageRange();
  const left = `${r.client.company} · ${formatPeriod(r.month, r.client.language)}`;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start yet another page.
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 36;
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    doc.font(FONT.regular).fontSize(8).fillColor('#555555');
    doc.text(left, MARGIN.left, y, { width: width - 90, lineBreak: false, ellipsis: true, height: 10 });
    doc.text(t.page(i - start + 1, count), MARGIN.left + width - 90, y, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins.bottom = keep;
  }
}

/**
 * The client's monthly report as an A4 PDF with embedded DejaVu (Cyrillic, selectable text).
 * The creation date is the period's end, so the same report always renders to the same bytes.
 */
export function renderReportPdf(r: MonthReport, o: RenderOptions): Promise<Buffer> {
  const t = REPORT_TEXT[r.client.language];
  const fonts = o.fonts ?? loadReportFonts();
  const doc = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true,
    // No default font: pdfkit would parse Helvetica's metrics for every document, and the
    // first doc.font('body') below must be the one that creates (and caches) our font.
    font: null as unknown as string,
    info: { Title: `${t.title(formatPeriod(r.month, r.client.language))} — ${r.client.company}`, Author: o.companyName,
      CreationDate: monthRange(r.month, r.zone).end },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes an already parsed fontkit font as a font source; its typings only list files and buffers.
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  drawReportHead(doc, r, t, o.companyName);
  drawContractTerms(doc, r, t);
  // The heading, the table's header and a first row stay together.
  if (doc.y + 70 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.font(FONT.bold).fontSize(12).fillColor('black').text(t.tickets);
  doc.moveDown(0.3);
  if (r.tickets.length === 0) doc.font(FONT.regular).fontSize(9).text(t.noTickets);
  else drawTable(doc, COLUMNS, t.columns, ticketRows(r, t), { font: FONT.regular, boldFont: FONT.bold, fontSize: 8, bottom: MARGIN.bottom });
  drawTotals(doc, r, t, MARGIN.bottom);
  drawOpenTickets(doc, r, t);
  drawCompanyDetails(doc, o.companyDetails?.[r.client.language] ?? '', MARGIN.bottom);
  stampFooters(doc, r, t);
  doc.end();
  return done;
}
