import type { Language } from '../tickets/types.js';
import { button, NEWLINE, rows, type KeyboardItem } from './keyboard.js';
import { escapeBb, type Choice, type DispatchTicket, type RenderedMessage } from './render-dispatch-message.js';
import { TEXTS } from './texts.js';

export interface WaitingTicket {
  card: DispatchTicket;
  waitingMinutes: number;
}

/** One row of a ticket list: number, company, subject, cut for a phone screen. */
export function listLine(t: DispatchTicket, lang: Language, suffix = ''): string {
  const subject = t.subject.length > 60 ? `${t.subject.slice(0, 59)}…` : t.subject;
  return `[b]#${t.number}[/b] · ${escapeBb(t.company ?? TEXTS[lang].unknownClient)} · ${escapeBb(subject)}${suffix ? ` (${suffix})` : ''}`;
}

/** Which listed ticket a dispatcher opened in the reminder, and how far they got. */
export type ReminderFocus =
  | { ticket: number; step: 'departments' | 'reasons' }
  | { ticket: number; step: 'employees'; department: Choice; employees: Choice[] };

/** Number buttons, four to a row: 10 tickets take three short rows on a 390 px phone. */
const NUMBERS_PER_ROW = 4;

/**
 * One reminder for all unassigned tickets: the oldest listed, the rest counted. Each listed
 * ticket has one button, its number; a tap opens that ticket's choice in place (departments
 * and "Not a request", then the department's people), Back returns to the numbers. So the
 * keyboard stays a few rows whatever the number of tickets and departments.
 */
export function renderUnassignedReminder(
  items: WaitingTicket[], total: number, departments: Choice[], lang: Language, focus?: ReminderFocus,
): RenderedMessage {
  const x = TEXTS[lang];
  if (total === 0) return { text: x.noUnassigned, keyboard: null };
  const lines = items.map((i) => listLine(i.card, lang, x.waiting(i.waitingMinutes)));
  const more = total > items.length ? [x.remindMore(total - items.length)] : [];
  const open = focus && items.some((i) => i.card.number === focus.ticket) ? focus : undefined;
  const numbers = items.map((i) => button(`#${i.card.number}`, { action: 'open', ticket: i.card.number }, 'primary'));
  const footer = open ? focusPrompt(open, lang) : items.length > 0 ? x.remindTapNumber : null;
  return {
    text: [x.remindUnassigned(total), ...lines, ...more, ...(footer ? [footer] : [])].join('\n'),
    keyboard: open ? focusKeyboard(open, departments, lang) : numbers.length > 0 ? rows(numbers, NUMBERS_PER_ROW) : null,
  };
}

function focusPrompt(f: ReminderFocus, lang: Language): string {
  const x = TEXTS[lang];
  if (f.step === 'employees') return x.remindPickingEmployee(f.ticket, f.department.name);
  return f.step === 'reasons' ? `#${f.ticket}: ${x.chooseReason}` : x.remindPicking(f.ticket);
}

function focusKeyboard(f: ReminderFocus, departments: Choice[], lang: Language): KeyboardItem[] {
  const x = TEXTS[lang];
  const n = f.ticket;
  const back = button(x.back, { action: 'back', ticket: n });
  if (f.step === 'employees') {
    const people = f.employees.map((e) => button(e.name, { action: 'emp', ticket: n, arg: String(e.id) }, 'primary'));
    return [...rows(people, 2), ...(people.length ? [NEWLINE] : []), back];
  }
  if (f.step === 'reasons') {
    return [...Object.entries(x.reasons).map(([code, name]) => button(name, { action: 'spam', ticket: n, arg: code }, 'alert')), NEWLINE, back];
  }
  const depts = departments.map((d) => button(d.name, { action: 'dept', ticket: n, arg: String(d.id) }));
  return [...rows(depts, 2), NEWLINE, button(x.notARequest, { action: 'spam', ticket: n }, 'alert'), back];
}

/** One reminder per assignee for everything they closed without time; a button opens the time choice. */
export function renderMissingTimeReminder(tickets: DispatchTicket[], total: number, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const buttons = tickets.flatMap((t, k) => [...(k > 0 && k % 4 === 0 ? [NEWLINE] : []), button(`#${t.number}`, { action: 'close', ticket: t.number })]);
  const more = total > tickets.length ? [x.andMore(total - tickets.length)] : [];
  return { text: [x.remindMissingTime(total), ...tickets.map((t) => listLine(t, lang)), ...more].join('\n'), keyboard: buttons };
}

/** `/my`: open tickets with their status, no buttons (the cards have them). */
export function renderTicketList(header: string, tickets: Array<{ card: DispatchTicket; status: string }>, lang: Language): RenderedMessage {
  return { text: [header, ...tickets.map((t) => listLine(t.card, lang, TEXTS[lang].status[t.status] ?? t.status))].join('\n'), keyboard: null };
}
