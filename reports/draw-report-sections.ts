import { packageLeftMinutes, monthAmount } from './build-month-report.js';
import { formatDate, formatDuration, formatMoney, formatPeriod, formatPortalType, type ReportText } from './report-text.js';
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

/** The contract terms the client pays under (or a plain "no contract" line). An unlimited package has no over-package terms. */
export function drawContractTerms(doc: Doc, r: MonthReport, t: ReportText): void {
  const k = r.contract;
  const lang = r.client.language;
  if (!k) {
    doc.font(FONT.regular).fontSize(9).text(t.contractNone);
    doc.moveDown(0.8);
    return;
  }
  const hours = (h: number) => formatDuration(h * 60, lang);
  const limited = k.packageHours !== null;
  const portalType = k.portalType && `(${formatPortalType(k.portalType, lang)})`;
  const pairs: Array<Pair | false> = [
    [t.contract, k.number],
    [t.subject, k.subject || '—'],
    [t.startDate, formatDate(`${k.startDate}T12:00:00`, r.zone, lang)],
    [t.supportType, k.supportType],
    [t.portal, [k.portalUrl, portalType].filter(Boolean).join(' ') || '—'],
    [t.monthlyFee, formatMoney(k.monthlyFee, k.currency, lang)],
    [t.packageHours, limited ? hours(k.packageHours!) : t.unlimited],
    [t.hourlyRate, formatMoney(k.hourlyRate, k.currency, lang)],
    limited && [t.overRate, formatMoney(k.overPackageRate, k.currency, lang)],
    limited && [t.bonusHours, hours(k.bonusHours)],
    [t.manager, k.accountManager ? [k.accountManager.name, k.accountManager.email].filter(Boolean).join(', ') : '—'],
  ];
  drawPairs(doc, pairs.filter((p): p is Pair => p !== false), 170);
  doc.moveDown(0.8);
}

/** The package's rows of the totals; an unlimited package has nothing over it and nothing left of it. */
function packagePairs(r: MonthReport, t: ReportText): Pair[] {
  const lang = r.client.language;
  const m = r.totals;
  const currency = r.contract!.currency;
  if (m.packageMinutes === null) return [[t.packageHours, t.unlimited]];
  return [
    [t.packageHours, formatDuration(m.packageMinutes, lang)],
    [t.packageLeft, formatDuration(packageLeftMinutes(m)!, lang)],
    [t.bonusUsed, formatDuration(m.bonusUsedMinutes, lang)],
    [t.overHours, formatDuration(m.overMinutes, lang)],
    [t.overCost, formatMoney(m.overCost, currency, lang)],
  ];
}

/** Totals, kept on one page: a total separated from its heading is easy to misread. */
export function drawTotals(doc: Doc, r: MonthReport, t: ReportText, bottom: number): void {
  const lang = r.client.language;
  const m = r.totals;
  const pairs: Pair[] = [[t.hoursUsed, formatDuration(m.billableMinutes, lang)], [t.nonBillable, formatDuration(m.nonBillableMinutes, lang)]];
  if (r.contract) {
    pairs.push(...packagePairs(r, t), [t.monthlyFee, formatMoney(r.contract.monthlyFee, r.contract.currency, lang)],
      [t.amount, formatMoney(monthAmount(r.contract, m)!, r.contract.currency, lang)]);
  }
  const needed = 50 + pairs.length * 16;
  if (doc.y + needed > doc.page.height - bottom) doc.addPage();
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(12).fillColor('black').text(t.totals, doc.page.margins.left);
  doc.moveDown(0.3);
  drawPairs(doc, pairs, 250, true);
  if (r.contract) doc.font(FONT.regular).fontSize(8).fillColor(GRAY).text(`* ${t.amount}: ${t.amountNote}.`, doc.page.margins.left);
  doc.fillColor('black');
}

/**
 * Our company's details (name, registration, bank, contacts: whatever the operator set) under
 * the last content, on the last page; they stay together.
 */
export function drawCompanyDetails(doc: Doc, details: string, bottom: number): void {
  if (!details.trim()) return;
  const x = doc.page.margins.left;
  const width = doc.page.width - x - doc.page.margins.right;
  doc.font(FONT.regular).fontSize(8);
  const height = doc.heightOfString(details, { width }) + 24;
  if (doc.y + height > doc.page.height - bottom) doc.addPage();
  doc.moveDown(1.2);
  doc.moveTo(x, doc.y).lineTo(x + width, doc.y).lineWidth(0.5).strokeColor('#b0b0b0').stroke();
  doc.moveDown(0.4);
  doc.fillColor(GRAY).text(details, x, doc.y, { width });
  doc.fillColor('black');
}
