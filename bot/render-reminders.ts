import type { Language } from '../tickets/types.js';
import { button, NEWLINE, type KeyboardItem } from './keyboard.js';
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

/**
 * One reminder for all unassigned tickets: the oldest with their department buttons (one
 * ticket may be opened to its department's employees), the rest counted.
 */
export function renderUnassignedReminder(
  items: WaitingTicket[], total: number, departments: Choice[], lang: Language,
  open?: { ticket: number; department: Choice; employees: Choice[] },
): RenderedMessage {
  const x = TEXTS[lang];
  if (total === 0) return { text: x.noUnassigned, keyboard: null };
  const lines = items.map((i) => listLine(i.card, lang, x.waiting(i.waitingMinutes)));
  const keyboard: KeyboardItem[] = items.flatMap((i, k) => {
    const n = i.card.number;
    const row = open?.ticket === n
      ? [...open.employees.map((e) => button(`#${n} ${e.name}`, { action: 'emp', ticket: n, arg: String(e.id) }, 'primary')),
        button(x.back, { action: 'back', ticket: n })]
      : departments.map((d) => button(`#${n} ${d.name}`, { action: 'dept', ticket: n, arg: String(d.id) }));
    return k > 0 ? [NEWLINE, ...row] : row;
  });
  const more = total > items.length ? [x.remindMore(total - items.length)] : [];
  return { text: [x.remindUnassigned(total), ...lines, ...more].join('\n'), keyboard: keyboard.length > 0 ? keyboard : null };
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
