import { WORD_JOINER as WJ } from '../../bot/escape-bb.js';
import {
  decodeReportButton, encodeReportButton, renderPackageAlert, renderReportList, renderReviewMessage,
} from '../../bot/render-report-review.js';
import type { PackageAlert } from '../../reports/package-alerts.js';
import type { MonthReportLine, MonthSummary } from '../../reports/summarize-month.js';

const alert = (threshold: 80 | 100, usedMinutes: number): PackageAlert => ({
  id: 1, clientId: 7, company: 'ООО «Ромашка» [VIP]', contractNumber: 'K-12', month: '2026-10', threshold, usedMinutes, packageMinutes: 1200,
  accountManager: { id: 3, name: 'Мария', b24UserId: '9', language: 'ru' }, notifiedAt: null,
});

test('the package alert names the client, the contract, used and package hours, in the manager\'s language', () => {
  expect(renderPackageAlert(alert(80, 970), 'ru')).toEqual({
    text: `[b]ООО «Ромашка» [${WJ}VIP][/b], договор K-12: израсходовано 80% пакета часов за октябрь 2026 — 16 ч 10 мин из 20 ч.`, keyboard: null,
  });
  expect(renderPackageAlert({ ...alert(100, 1215), contractNumber: null }, 'en')).toEqual({
    text: `[b]ООО «Ромашка» [${WJ}VIP][/b]: the package for October 2026 is used up — 20 h 15 min of 20 h.`, keyboard: null,
  });
});

test('review buttons: one hidden command, params "<action> <month>"; anything else is not ours', () => {
  expect(encodeReportButton({ action: 'approve', month: '2026-10' })).toBe('approve 2026-10');
  expect(decodeReportButton(' list 2026-01 ')).toEqual({ action: 'list', month: '2026-01' });
  for (const bad of ['approve 2026-13', 'publish 2026-10', 'approve', 'approve 2026-10 x', 'dept 1042 3']) expect(decodeReportButton(bad)).toBeNull();
});

const summary: MonthSummary = {
  month: '2026-10', clients: 3, tickets: 12, minutes: 600, billableMinutes: 540,
  byStatus: { draft: 3, approved: 0, published: 0 }, held: 1,
  missingTime: [{ clientId: 2, company: 'ООО «Забыли»', reportId: 20, tickets: [
    { number: 1042, subject: 'a', status: 'awaiting_time', specialist: null, since: '2026-10-30T10:00:00Z' },
    { number: 1043, subject: 'b', status: 'awaiting_time', specialist: null, since: '2026-10-30T11:00:00Z' }] }],
  stillOpen: [{ clientId: 3, company: 'Vector', reportId: 30, tickets: [
    { number: 1050, subject: 'c', status: 'in_progress', specialist: 'Anna', since: '2026-10-29T10:00:00Z' }] }],
};
const approve = { TEXT: 'Утвердить все', COMMAND: 'rpt', COMMAND_PARAMS: 'approve 2026-10', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' };
const list = { TEXT: 'Список', COMMAND: 'rpt', COMMAND_PARAMS: 'list 2026-10', DISPLAY: 'LINE' };

test('the review shows clients, tickets, hours, tickets without time and still open, with Approve all and List', () => {
  expect(renderReviewMessage(summary, 'ru')).toEqual({
    text: [
      '[b]Отчёты за октябрь 2026 готовы к проверке[/b]',
      'Клиентов: 3 · закрыто обращений: 12',
      'Время: 10 ч, к оплате 9 ч',
      'Закрыто без времени: 2 — такие отчёты задержаны до исправления:',
      '• ООО «Забыли»: #1042, #1043',
      'Ещё открыто: 1',
      '• Vector: #1050',
    ].join('\n'),
    keyboard: [approve, list],
  });
});

test('after Approve all: how many went out, which stay held; Approve all stays until no draft is left', () => {
  const after = { ...summary, byStatus: { draft: 1, approved: 2, published: 0 } };
  const r = renderReviewMessage(after, 'en', { approved: 2, held: ['ООО «Забыли»'] });
  expect(r.text.split('\n').slice(-2)).toEqual(['Approved and being sent to the clients: 2.', 'Held: ООО «Забыли».']);
  expect(r.keyboard).toEqual([{ ...approve, TEXT: 'Approve all' }, { ...list, TEXT: 'List' }]);
  const all = renderReviewMessage({ ...summary, held: 0, missingTime: [], byStatus: { draft: 0, approved: 1, published: 2 } }, 'en', { approved: 1, held: [] });
  expect(all.text.split('\n').slice(-1)).toEqual(['Approved and being sent to the clients: 1.']);
  expect(all.text).toContain('Every closed ticket has its time.');
  expect(all.keyboard).toEqual([{ ...list, TEXT: 'List' }]);
});

test('the list puts held reports first, then those with open tickets, and caps its length', () => {
  const line = (company: string, o: Partial<MonthReportLine> = {}): MonthReportLine => ({
    reportId: 1, clientId: 1, company, status: 'draft', version: 1, ticketCount: 1, minutes: 90, billableMinutes: 90, missingTime: [], stillOpen: [], ...o,
  });
  const rows = [
    line('Альфа', { status: 'published', version: 2 }),
    line('Бета', { stillOpen: summary.stillOpen[0].tickets }),
    line('Гамма', { missingTime: summary.missingTime[0].tickets, billableMinutes: 0 }),
  ];
  expect(renderReportList('2026-10', rows, 'ru').text.split('\n')).toEqual([
    '[b]Отчёты за октябрь 2026: 3[/b]',
    'Гамма · 0 мин · черновик · задержан, нет времени: #1042, #1043',
    'Бета · 1 ч 30 мин · черновик · открыты: #1050',
    'Альфа · 1 ч 30 мин · опубликован, версия 2',
  ]);
  expect(renderReportList('2026-10', rows, 'en', 2).text.split('\n').slice(1)).toEqual([
    'Гамма · 0 min · draft · held, no time: #1042, #1043',
    'Бета · 1 h 30 min · draft · open: #1050',
    '…and 1 more',
  ]);
  expect(renderReportList('2026-10', [], 'en')).toEqual({ text: 'There are no reports for this month.', keyboard: null });
});
