import type { Language } from '../tickets/types.js';
import type { PackageAlert } from '../reports/package-alerts.js';
import { formatPeriod } from '../reports/report-text.js';
import { isHeld, type ClientProblems, type MonthReportLine, type MonthSummary } from '../reports/summarize-month.js';
import type { KeyboardItem } from './keyboard.js';
import { escapeBb, type RenderedMessage } from './render-dispatch-message.js';
import { formatMinutes } from './texts.js';

/**
 * The review's buttons: a hidden command of their own, `rpt`, with params `<action> <YYYY-MM>`,
 * so they never mix with the ticket buttons (`tkt`).
 */
export const REPORT_COMMAND = 'rpt';
export const REPORT_ACTIONS = ['approve', 'list'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];
export interface ReportButtonPayload { action: ReportAction; month: string }

export const encodeReportButton = (p: ReportButtonPayload): string => `${p.action} ${p.month}`;

/** Null for anything that is not one of our review buttons. */
export function decodeReportButton(params: string): ReportButtonPayload | null {
  const m = /^(approve|list) (\d{4}-(?:0[1-9]|1[0-2]))$/.exec(params.trim());
  return m ? { action: m[1] as ReportAction, month: m[2] } : null;
}

const reportButton = (text: string, p: ReportButtonPayload, tone?: 'primary'): KeyboardItem =>
  ({ TEXT: text, COMMAND: REPORT_COMMAND, COMMAND_PARAMS: encodeReportButton(p), DISPLAY: 'LINE', ...(tone ? { BG_COLOR_TOKEN: tone } : {}) });

const TEXTS = {
  ru: {
    alert: (t: 80 | 100, period: string) => (t === 100 ? `пакет часов за ${period} израсходован` : `израсходовано 80% пакета часов за ${period}`),
    contract: 'договор',
    of: 'из',
    reviewTitle: (period: string) => `Отчёты за ${period} готовы к проверке`,
    counts: (clients: number, tickets: number) => `Клиентов: ${clients} · закрыто обращений: ${tickets}`,
    time: (all: string, billable: string) => `Время: ${all}, к оплате ${billable}`,
    missingTime: (n: number) => `Закрыто без времени: ${n} — такие отчёты задержаны до исправления:`,
    noMissingTime: 'Все закрытые обращения со временем.',
    stillOpen: (n: number) => `Ещё открыто: ${n}`,
    andMore: (n: number) => `…и ещё ${n}`,
    approveAll: 'Утвердить все',
    list: 'Список',
    approved: (n: number) => `Утверждено и отправляется клиентам: ${n}.`,
    held: (names: string) => `Задержаны: ${names}.`,
    listTitle: (period: string, n: number) => `Отчёты за ${period}: ${n}`,
    status: { draft: 'черновик', approved: 'утверждён', published: 'опубликован' } as Record<string, string>,
    heldLine: (numbers: string) => `задержан, нет времени: ${numbers}`,
    openLine: (numbers: string) => `открыты: ${numbers}`,
    version: (v: number) => `версия ${v}`,
    noReports: 'Отчётов за этот месяц нет.',
    notReviewer: 'Утверждать отчёты может только проверяющий, получивший сводку.',
  },
  en: {
    alert: (t: 80 | 100, period: string) => (t === 100 ? `the package for ${period} is used up` : `80% of the package for ${period} is used`),
    contract: 'contract',
    of: 'of',
    reviewTitle: (period: string) => `Reports for ${period} are ready for review`,
    counts: (clients: number, tickets: number) => `Clients: ${clients} · tickets closed: ${tickets}`,
    time: (all: string, billable: string) => `Time: ${all}, billable ${billable}`,
    missingTime: (n: number) => `Closed without time: ${n}; these reports are held until fixed:`,
    noMissingTime: 'Every closed ticket has its time.',
    stillOpen: (n: number) => `Still open: ${n}`,
    andMore: (n: number) => `…and ${n} more`,
    approveAll: 'Approve all',
    list: 'List',
    approved: (n: number) => `Approved and being sent to the clients: ${n}.`,
    held: (names: string) => `Held: ${names}.`,
    listTitle: (period: string, n: number) => `Reports for ${period}: ${n}`,
    status: { draft: 'draft', approved: 'approved', published: 'published' } as Record<string, string>,
    heldLine: (numbers: string) => `held, no time: ${numbers}`,
    openLine: (numbers: string) => `open: ${numbers}`,
    version: (v: number) => `version ${v}`,
    noReports: 'There are no reports for this month.',
    notReviewer: 'Only a reviewer who was sent the summary can approve reports.',
  },
} satisfies Record<Language, Record<string, unknown>>;

export const reviewTexts = (lang: Language) => TEXTS[lang];

const numbers = (tickets: Array<{ number: number }>) => tickets.map((t) => `#${t.number}`).join(', ');

/** Up to `max` lines, then how many more. */
function capped(lines: string[], max: number, lang: Language): string[] {
  return lines.length > max ? [...lines.slice(0, max), TEXTS[lang].andMore(lines.length - max)] : lines;
}

/** To the account manager: a client passed 80 % or 100 % of its package. */
export function renderPackageAlert(a: PackageAlert, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const contract = a.contractNumber ? `, ${x.contract} ${escapeBb(a.contractNumber)}` : '';
  const used = `${formatMinutes(a.usedMinutes, lang)} ${x.of} ${formatMinutes(a.packageMinutes, lang)}`;
  return { text: `[b]${escapeBb(a.company)}[/b]${contract}: ${x.alert(a.threshold, formatPeriod(a.month, lang))} — ${used}.`, keyboard: null };
}

/** What "Approve all" did, shown under the summary. */
export interface ApproveOutcome {
  approved: number;
  /** Companies whose reports stay held. */
  held: string[];
}

const problemLines = (p: ClientProblems[], lang: Language) => capped(p.map((c) => `• ${escapeBb(c.company)}: ${numbers(c.tickets)}`), 10, lang);

/**
 * The review message to quality control: the month's totals, what holds reports back, and
 * the buttons. "Approve all" stays while drafts remain: a held one, once its time is recorded
 * and the month re-drafted, is approved from the same message.
 */
export function renderReviewMessage(s: MonthSummary, lang: Language, outcome?: ApproveOutcome): RenderedMessage {
  const x = TEXTS[lang];
  const count = (p: ClientProblems[]) => p.reduce((n, c) => n + c.tickets.length, 0);
  const lines = [
    `[b]${x.reviewTitle(formatPeriod(s.month, lang))}[/b]`,
    x.counts(s.clients, s.tickets),
    x.time(formatMinutes(s.minutes, lang), formatMinutes(s.billableMinutes, lang)),
    ...(s.missingTime.length > 0 ? [x.missingTime(count(s.missingTime)), ...problemLines(s.missingTime, lang)] : [x.noMissingTime]),
    ...(s.stillOpen.length > 0 ? [x.stillOpen(count(s.stillOpen)), ...problemLines(s.stillOpen, lang)] : []),
    ...(outcome ? [x.approved(outcome.approved), ...(outcome.held.length > 0 ? [x.held(outcome.held.map(escapeBb).join(', '))] : [])] : []),
  ];
  const keyboard = [
    ...(s.byStatus.draft > 0 ? [reportButton(x.approveAll, { action: 'approve', month: s.month }, 'primary')] : []),
    reportButton(x.list, { action: 'list', month: s.month }),
  ];
  return { text: lines.join('\n'), keyboard };
}

/** "List": every client's report of the month, the ones that need attention first. */
export function renderReportList(month: string, reports: MonthReportLine[], lang: Language, max = 40): RenderedMessage {
  const x = TEXTS[lang];
  if (reports.length === 0) return { text: x.noReports, keyboard: null };
  const rank = (r: MonthReportLine) => (isHeld(r) ? 0 : r.stillOpen.length > 0 ? 1 : 2);
  const sorted = [...reports].sort((a, b) => rank(a) - rank(b));
  const line = (r: MonthReportLine) => [
    escapeBb(r.company), formatMinutes(r.billableMinutes, lang),
    [x.status[r.status], ...(r.version > 1 ? [x.version(r.version)] : [])].join(', '),
    ...(r.missingTime.length > 0 ? [x.heldLine(numbers(r.missingTime))] : []),
    ...(r.stillOpen.length > 0 ? [x.openLine(numbers(r.stillOpen))] : []),
  ].join(' · ');
  return { text: [`[b]${x.listTitle(formatPeriod(month, lang), reports.length)}[/b]`, ...capped(sorted.map(line), max, lang)].join('\n'), keyboard: null };
}
