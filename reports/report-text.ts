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
    packageLeft: 'Осталось часов в пакете',
    amount: 'Сумма за месяц',
    amountNote: 'абонентская плата и часы сверх пакета; бонусные часы не оплачиваются',
    openTickets: 'Открытые на конец периода обращения',
    openNote: 'Работа по ним продолжается; в счёт этого месяца они не входят.',
    openColumns: ['№', 'Открыто', 'Тема', 'Специалист'],
    portalTypes: { cloud: 'облако', 'on-premise': 'коробочная версия', 'on-prem': 'коробочная версия', box: 'коробочная версия' },
    hoursUnit: 'ч',
    minutesUnit: 'мин',
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
    packageLeft: 'Hours left in the package',
    amount: 'Amount for the month',
    amountNote: 'monthly fee plus over-package hours; bonus hours are free of charge',
    openTickets: 'Tickets open at the end of the period',
    openNote: 'Work on them continues; they are not billed in this month.',
    openColumns: ['No.', 'Opened', 'Subject', 'Specialist'],
    portalTypes: { cloud: 'cloud', 'on-premise': 'on-premise', 'on-prem': 'on-premise', box: 'on-premise' },
    hoursUnit: 'h',
    minutesUnit: 'min',
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    mailSubject: (period: string, company: string) => `Support report for ${period} — ${company}`,
    mailBody: (period: string, version: number) => `Hello,\n\nAttached is the support report for ${period}.`
      + (version > 1 ? ` This is a corrected version (${version}); it replaces the one sent before.` : '')
      + '\n\nKind regards,\nSupport team',
  },
} as const;

export type ReportText = (typeof REPORT_TEXT)[Language];

const numberFormats = new Map<string, Intl.NumberFormat>();

/** One cached Intl formatter per language and options (creating one is far dearer than using it). */
function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang} ${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', options);
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * Real minutes as people read them, the one time format of the report (rows and totals alike):
 * `15 мин`, `1 ч 20 мин`, `12 ч` / `15 min`, `1 h 20 min`, `12 h`.
 */
export function formatDuration(minutes: number, lang: Language): string {
  const t = REPORT_TEXT[lang];
  const whole = Math.round(minutes);
  const [h, m] = [Math.floor(whole / 60), whole % 60];
  // No break between a number and its unit (U+00A0); nothing at all reads as "0 h".
  if (whole === 0) return `0\u00a0${t.hoursUnit}`;
  const hours = h > 0 ? `${numberFormat(lang, { maximumFractionDigits: 0 }).format(h)}\u00a0${t.hoursUnit}` : '';
  return [hours, m > 0 ? `${m}\u00a0${t.minutesUnit}` : ''].filter(Boolean).join(' ');
}

/** An amount as the reader's locale writes it: `60 000,00 ₽` in Russian, `RUB 60,000.00` in English. */
export function formatMoney(amount: number, currency: string, lang: Language): string {
  return numberFormat(lang, { style: 'currency', currency }).format(amount);
}

/** A contract's portal type in the reader's words; a value we do not know is shown as stored. */
export function formatPortalType(type: string, lang: Language): string {
  const known = REPORT_TEXT[lang].portalTypes as Record<string, string>;
  return known[type.trim().toLowerCase()] ?? type;
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
