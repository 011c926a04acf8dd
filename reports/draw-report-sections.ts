import { formatDate, formatHours, formatMoney, formatPeriod, type ReportText } from './report-text.js';
import { monthRange } from './month-range.js';
import type { MonthReport } from './types.js';

export const FONT = { regular: 'body', bold: 'bold' } as const;
const GRAY = '#555555';

type Doc = PDFKit.PDFDocument;
type Pair = readonly [label: string, value: string];

/** Label/value lines (contract terms, totals); values wrap, labels stay in their column. */
function drawPairs(doc: Doc, pairs: readonly Pair[], labelWidth: number, boldValues = false): void {
  const x = doc.page.margins.left;
  const valueWidth = doc.page.width - doc.page.margins.right - x - labelWidth;
  doc.fontSize(9);
  for (const [label, value] of pairs) {
    const y = doc.y;
    doc.font(FONT.regular).fillColor(GRAY).text(label, x, y, { width: labelWidth - 8 });
    const afterLabel = doc.y;
    doc.font(boldValues ? FONT.bold : FONT.regular).fillColor('black').text(value, x + labelWidth, y, { width: valueWidth });
    doc.y = Math.max(doc.y, afterLabel) + 2;
  }
  doc.x = x;
}

/** Our name, the title with the period, and the client. */
export function drawReportHead(doc: Doc, r: MonthReport, t: ReportText, companyName: string): void {
  const lang = r.client.language;
  const range = monthRange(r.month, r.zone);
  const lastDay = new Date(range.end.getTime() - 1).toISOString();
  doc.font(FONT.bold).fontSize(10).fillColor(GRAY).text(companyName);
  doc.moveDown(0.6);
  doc.font(FONT.bold).fontSize(16).fillColor('black').text(t.title(formatPeriod(r.month, lang)));
  doc.moveDown(0.3);
  doc.font(FONT.bold).fontSize(13).text(r.client.company);
  doc.moveDown(0.3);
  doc.font(FONT.regular).fontSize(10)
    .text(`${t.period}: ${formatDate(range.start.toISOString(), r.zone, lang)} – ${formatDate(lastDay, r.zone, lang)}`);
  doc.moveDown(0.8);
}

/** The contract terms the client pays under (or a plain "no contract" line). */
export function drawContractTerms(doc: Doc, r: MonthReport, t: ReportText): void {
  const k = r.contract;
  const lang = r.client.language;
  if (!k) {
    doc.font(FONT.regular).fontSize(9).text(t.contractNone);
    doc.moveDown(0.8);
    return;
  }
  const hours = (h: number) => formatHours(Math.round(h * 60), lang);
  const pairs: Pair[] = [
    [t.contract, k.number],
    [t.subject, k.subject || '—'],
    [t.startDate, formatDate(`${k.startDate}T12:00:00`, r.zone, lang)],
    [t.supportType, k.supportType],
    [t.portal, [k.portalUrl, k.portalType && `(${k.portalType})`].filter(Boolean).join(' ') || '—'],
    [t.monthlyFee, formatMoney(k.monthlyFee, k.currency, lang)],
    [t.packageHours, k.packageHours === null ? t.unlimited : hours(k.packageHours)],
    [t.hourlyRate, formatMoney(k.hourlyRate, k.currency, lang)],
    [t.overRate, formatMoney(k.overPackageRate, k.currency, lang)],
    [t.bonusHours, hours(k.bonusHours)],
    [t.manager, k.accountManager ? [k.accountManager.name, k.accountManager.email].filter(Boolean).join(', ') : '—'],
  ];
  drawPairs(doc, pairs, 170);
  doc.moveDown(0.8);
}

/** Totals, kept on one page: a total separated from its heading is easy to misread. */
export function drawTotals(doc: Doc, r: MonthReport, t: ReportText, bottom: number): void {
  const lang = r.client.language;
  const m = r.totals;
  const pairs: Pair[] = [[t.hoursUsed, formatHours(m.billableMinutes, lang)], [t.nonBillable, formatHours(m.nonBillableMinutes, lang)]];
  if (r.contract) {
    const currency = r.contract.currency;
    pairs.push(
      [t.packageHours, m.packageMinutes === null ? t.unlimited : formatHours(m.packageMinutes, lang)],
      [t.bonusUsed, formatHours(m.bonusUsedMinutes, lang)],
      [t.overHours, formatHours(m.overMinutes, lang)],
      [t.overCost, formatMoney(m.overCost, currency, lang)],
    );
  }
  const needed = 30 + pairs.length * 16;
  if (doc.y + needed > doc.page.height - bottom) doc.addPage();
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(12).fillColor('black').text(t.totals, doc.page.margins.left);
  doc.moveDown(0.3);
  drawPairs(doc, pairs, 250, true);
}
