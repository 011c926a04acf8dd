import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from '../../main/ensure-debian-packages.js';
import { buildMonthReport } from '../../reports/build-month-report.js';
import { renderReportPdf } from '../../reports/render-report-pdf.js';
import { DEJAVU_FONTS } from '../../reports/load-report-fonts.js';
import type { MonthInput, ReportTicket } from '../../reports/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-pdf-'));

beforeAll(() => {
  ensureDebianPackages([{ file: '/usr/bin/pdftotext', pkg: 'poppler-utils' }, { file: DEJAVU_FONTS.regular, pkg: 'fonts-dejavu-core' }]);
});

/** The text of the PDF, one string per page (pdftotext ends every page with a form feed). */
function pdfPages(pdf: Buffer): string[] {
  const file = path.join(dir, `r${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  // U+00A0 (number and unit, thousands) read as plain spaces, so the patterns below stay legible.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
    .split('\f').slice(0, -1);
}

function input(language: 'ru' | 'en', tickets: ReportTicket[]): MonthInput {
  return {
    client: { id: 7, company: language === 'ru' ? 'ООО «Ромашка и Партнёры»' : 'Acme Inc.', language }, month: '2026-10', zone: 'Europe/Moscow',
    contract: {
      id: 1, number: 'ТП-2026/014', subject: 'Техническая поддержка портала Битрикс24', startDate: '2026-01-01', supportType: 'Стандарт',
      portalUrl: 'https://romashka.bitrix24.ru', portalType: 'cloud', monthlyFee: 60000, currency: 'RUB', packageHours: 10, hourlyRate: 3000,
      overPackageRate: 3500, bonusHours: 2, accountManager: { name: 'Мария Иванова', email: 'maria@modest.example' },
    },
    tickets, missingTime: [], stillOpen: [],
  };
}

const ticket = (i: number, over: Partial<ReportTicket> = {}): ReportTicket => ({
  number: 1000 + i, subject: i % 9 === 0 ? `Долгая тема: синхронизация сделок CRM с 1С и складом, обращение ${i}, требует разбора логов обмена` : `Вопрос ${i}: не приходят уведомления`,
  openedAt: '2026-10-01T06:00:00Z', closedAt: '2026-10-31T20:30:00Z', specialist: 'Олег Смирнов', minutes: 15 + (i % 7) * 10,
  billableMinutes: 15 + (i % 7) * 10, ...over,
});

test('the Russian report has the Cyrillic client name, every ticket number, the time and the totals as text', async () => {
  const tickets = [ticket(1, { minutes: 600 }), ticket(2, { minutes: 150, billableMinutes: 150 }), ticket(3, { minutes: 45, billableMinutes: 0 }),
    ticket(4, { minutes: 30, billableMinutes: 10 })];
  tickets[0].billableMinutes = 600;
  const text = pdfPages(await renderReportPdf(buildMonthReport(input('ru', tickets)), { companyName: 'Modest Support' })).join('\n');
  expect(text).toContain('ООО «Ромашка и Партнёры»');
  expect(text).toContain('Отчёт о технической поддержке за октябрь 2026');
  expect(text).toContain('Период: 01.10.2026 – 31.10.2026');
  expect(text).toContain('https://romashka.bitrix24.ru');
  for (const t of tickets) expect(text).toMatch(new RegExp(`^\\s*${t.number}\\s+01\\.10\\.2026\\s+31\\.10\\.2026`, 'm'));
  expect(text).toMatch(/1001 .* 10 ч +да\n/);
  expect(text).toMatch(/1003 .* 45 мин +нет\n/);
  expect(text).toMatch(/1004 .* 30 мин +10 мин\n/);
  // 600 + 150 + 10 billable minutes = 12 h 40 min: 10 in the package, 2 bonus, 40 min over at 3 500; 45 + 20 minutes not billable.
  expect(text).toMatch(/Израсходовано часов\s+12 ч 40 мин\n/);
  expect(text).toMatch(/Неоплачиваемое время \(не расходует часы\)\s+1 ч 5 мин\n/);
  expect(text).toMatch(/Осталось часов в пакете\s+0 ?ч\n/);
  expect(text).toMatch(/Использовано бонусных часов\s+2 ?ч\n/);
  expect(text).toMatch(/Часов сверх пакета\s+40 мин\n/);
  expect(text).toMatch(/Стоимость часов сверх пакета\s+2 333,33 ₽\n/);
  // The month's sum: the fee plus the over-package hours (the bonus hours cost nothing).
  expect(text).toMatch(/Абонентская плата\s+60 000,00 ₽\n/);
  expect(text).toMatch(/Сумма за месяц\s+62 333,33 ₽\n/);
  // One time format: no H:MM and no decimal hours anywhere.
  expect(text).not.toMatch(/\b\d+:\d\d\b|\d+,\d+ ч/);
  expect(text).toContain('https://romashka.bitrix24.ru (облако)');
  expect(text).not.toMatch(/cloud|RUB/);
  expect(text).toContain('Стр. 1 из 1');
});

test('a 300-ticket report pages cleanly: the table header and "Page n of N" on every page, every ticket once', async () => {
  const tickets = Array.from({ length: 300 }, (_, i) => ticket(i));
  const pages = pdfPages(await renderReportPdf(buildMonthReport(input('en', tickets)), { companyName: 'Modest Support' }));
  expect(pages.length).toBeGreaterThanOrEqual(6);
  const row = /^\s*1\d{3}\s+2026-10-01/m;
  pages.forEach((page, i) => {
    expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    // Every page but the last (which may hold only the totals) carries rows, and every page with rows its header.
    if (i < pages.length - 1) expect(page).toMatch(row);
    if (row.test(page)) expect(page).toMatch(/No\.\s+Opened\s+Closed\s+Subject\s+Specialist\s+Time\s+Billable/);
  });
  const numbers = pages.join('\n').match(/^\s*1\d{3}(?=\s+2026-10-01)/gm)!.map((n) => Number(n));
  expect(numbers).toEqual(tickets.map((t) => t.number));
  expect(pages.at(-1)).toMatch(/Hours used\s+[\d,.]+ h/);
});

test('a Latin report rendered after a Cyrillic one keeps every letter as text (fonts are shared between documents)', async () => {
  await renderReportPdf(buildMonthReport(input('ru', [ticket(1)])), { companyName: 'Ёлка и Ёжик' });
  const [page] = pdfPages(await renderReportPdf(buildMonthReport(input('en', [ticket(1)])), { companyName: 'Modest Support' }));
  expect(page).toContain('Support report for October 2026');
  expect(page).toContain('Acme Inc.');
  expect(page).toContain('Page 1 of 1');
  expect(page).toMatch(/1001 .* yes/);
});

test('the same report renders to the same bytes', async () => {
  const r = buildMonthReport(input('ru', [ticket(1), ticket(2)]));
  const [a, b] = await Promise.all([renderReportPdf(r, { companyName: 'X' }), renderReportPdf(r, { companyName: 'X' })]);
  expect(a.equals(b)).toBe(true);
});

test('the package\'s remaining hours, the open tickets apart, and our details at the foot', async () => {
  const report = buildMonthReport({
    ...input('ru', [ticket(1, { minutes: 200, billableMinutes: 200 })]),
    stillOpen: [{ number: 1077, subject: 'Настроить телефонию', status: 'in_progress', specialist: 'Дмитрий Волков', since: '2026-10-28T09:00:00Z' }],
  });
  const text = pdfPages(await renderReportPdf(report, {
    companyName: 'Modest Support', companyDetails: { ru: 'ООО «Модест», ИНН 7700000000\nМосква, ул. Тверская, 1', en: 'Modest LLC' },
  })).join('\n');
  expect(text).toMatch(/Осталось часов в пакете\s+6 ч 40 мин\n/);
  expect(text).toMatch(/Сумма за месяц\s+60 000,00 ₽\n/);
  const open = text.slice(text.indexOf('Открытые на конец периода обращения'));
  expect(open).toMatch(/1077\s+28\.10\.2026\s+Настроить телефонию\s+Дмитрий Волков/);
  // Listed apart: after the totals, never in the closed table or its sums.
  expect(text.indexOf('Открытые на конец периода обращения')).toBeGreaterThan(text.indexOf('Сумма за месяц'));
  expect(text).toMatch(/Израсходовано часов\s+3 ч 20 мин\n/);
  expect(text).toMatch(/ООО «Модест», ИНН 7700000000\s*\n\s*Москва, ул. Тверская, 1/);
  expect(text).not.toContain('Modest LLC');
});

test('an unlimited package shows no over-package rows; English amounts and words in English', async () => {
  const base = input('en', [ticket(1, { minutes: 900, billableMinutes: 900 })]);
  const report = buildMonthReport({ ...base, contract: { ...base.contract!, packageHours: null, portalType: 'on-premise' } });
  const text = pdfPages(await renderReportPdf(report, { companyName: 'Modest Support' })).join('\n');
  expect(text).toMatch(/Hours in package\s+unlimited\n/);
  expect(text).toMatch(/Hours used\s+15 h\n/);
  expect(text).toMatch(/Amount for the month\s+RUB 60,000\.00\n/);
  expect(text).toContain('(on-premise)');
  expect(text).not.toMatch(/Over-package|Bonus|left in the package/);
  expect(text).not.toContain('Tickets open at the end of the period');
});

test('words read back as typed: no "fl" or "fi" ligature in the text a director copies or searches', async () => {
  const base = input('en', [ticket(1, { subject: 'Fix the workflow of the office filter' })]);
  const text = pdfPages(await renderReportPdf(buildMonthReport(base), { companyName: 'Modest Support' })).join('\n');
  expect(text).toContain('Fix the workflow of the office filter');
  expect(text).not.toMatch(/[\ufb00-\ufb06]/);
});
