import { DateTime } from 'luxon';
import type { Language } from '../tickets/types.js';

/** Every word the PDF and the report mail print, per client language. */
export const REPORT_TEXT = {
  ru: {
    title: (period: string) => `Отчёт о технической поддержке за ${period}`,
    period: 'Период',
    client: 'Клиент',
    contract: 'Договор',
    contractNone: 'Договор не найден',
    subject: 'Предмет договора',
    startDate: 'Дата начала',
    supportType: 'Тип поддержки',
    portal: 'Обслуживаемый портал',
    monthlyFee: 'Абонентская плата',
    packageHours: 'Часов в пакете',
    unlimited: 'без ограничений',
    hourlyRate: 'Стоимость часа',
    overRate: 'Стоимость часа сверх пакета',
    bonusHours: 'Бонусные часы',
    manager: 'Персональный менеджер',
    tickets: 'Закрытые обращения',
    noTickets: 'В этом периоде обращений не закрывалось.',
    columns: ['№', 'Открыто', 'Закрыто', 'Тема', 'Специалист', 'Время', 'К оплате'],
    yes: 'да',
    no: 'нет',
    totals: 'Итоги',
    hoursUsed: 'Израсходовано часов',
    nonBillable: 'Неоплачиваемое время (не расходует часы)',
    bonusUsed: 'Использовано бонусных часов',
    overHours: 'Часов сверх пакета',
    overCost: 'Стоимость часов сверх пакета',
    hoursUnit: 'ч',
    page: (n: number, of: number) => `Стр. ${n} из ${of}`,
    mailSubject: (period: string, company: string) => `Отчёт о поддержке за ${period} — ${company}`,
    mailBody: (period: string, version: number) => `Здравствуйте!\n\nВо вложении отчёт о технической поддержке за ${period}.`
      + (version > 1 ? ` Это исправленная версия (${version}); она заменяет отправленную ранее.` : '')
      + '\n\nС уважением,\nслужба поддержки',
  },
  en: {
    title: (period: string) => `Support report for ${period}`,
    period: 'Period',
    client: 'Client',
    contract: 'Contract',
    contractNone: 'No contract on file',
    subject: 'Subject',
    startDate: 'Start date',
    supportType: 'Support type',
    portal: 'Serviced portal',
    monthlyFee: 'Monthly fee',
    packageHours: 'Hours in package',
    unlimited: 'unlimited',
    hourlyRate: 'Hourly rate',
    overRate: 'Over-package rate',
    bonusHours: 'Bonus hours',
    manager: 'Account manager',
    tickets: 'Closed tickets',
    noTickets: 'No tickets were closed in this period.',
    columns: ['No.', 'Opened', 'Closed', 'Subject', 'Specialist', 'Time', 'Billable'],
    yes: 'yes',
    no: 'no',
    totals: 'Totals',
    hoursUsed: 'Hours used',
    nonBillable: 'Non-billable time (does not consume hours)',
    bonusUsed: 'Bonus hours used',
    overHours: 'Over-package hours',
    overCost: 'Over-package cost',
    hoursUnit: 'h',
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    mailSubject: (period: string, company: string) => `Support report for ${period} — ${company}`,
    mailBody: (period: string, version: number) => `Hello,\n\nAttached is the support report for ${period}.`
      + (version > 1 ? ` This is a corrected version (${version}); it replaces the one sent before.` : '')
      + '\n\nKind regards,\nSupport team',
  },
} as const;

export type ReportText = (typeof REPORT_TEXT)[Language];

/** Real minutes as H:MM (`0:15`, `12:05`): the table shows exactly what was logged. */
export function formatMinutes(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Groups thousands with a plain space: it extracts as plain text and every font has it. */
function formatNumber(x: number, lang: Language, decimals: number): string {
  const [int, frac] = Math.abs(x).toFixed(decimals).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'ru' ? ' ' : ',');
  return `${x < 0 ? '-' : ''}${grouped}${frac ? (lang === 'ru' ? ',' : '.') + frac : ''}`;
}

/** Hours from minutes, two decimals: `12,50 ч` / `12.50 h`. */
export function formatHours(minutes: number, lang: Language): string {
  return `${formatNumber(minutes / 60, lang, 2)} ${REPORT_TEXT[lang].hoursUnit}`;
}

export function formatMoney(amount: number, currency: string, lang: Language): string {
  return `${formatNumber(amount, lang, 2)} ${currency}`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A date on the team's clock; `dd.MM.yyyy` in Russian, ISO in English (unambiguous abroad). */
export function formatDate(isoInstant: string, zone: string, lang: Language): string {
  let f = dayFormats.get(zone);
  if (!f) {
    // en-CA formats as yyyy-mm-dd; one cached formatter per zone is far cheaper than a luxon DateTime per cell.
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  const ymd = f.format(new Date(isoInstant));
  return lang === 'ru' ? `${ymd.slice(8, 10)}.${ymd.slice(5, 7)}.${ymd.slice(0, 4)}` : ymd;
}

const periods = new Map<string, string>();

/** `октябрь 2026` / `October 2026`, as it reads after "за" / "for". */
export function formatPeriod(month: string, lang: Language): string {
  const key = `${month} ${lang}`;
  let s = periods.get(key);
  if (s === undefined) {
    s = DateTime.fromFormat(month, 'yyyy-MM', { locale: lang }).toFormat('LLLL yyyy');
    periods.set(key, s);
  }
  return s;
}
