import { DateTime } from 'luxon';
import type { TicketStatus } from '../tickets/ticket-status.js';
import type { Language } from '../tickets/types.js';
import { button, NEWLINE, rows, type KeyboardItem } from './keyboard.js';
import { escapeBb, summary, type Choice, type DispatchTicket, type RenderedMessage } from './render-dispatch-message.js';
import { formatMinutes, openLink, TEXTS } from './texts.js';

/** Quick answers to "how long did it take", in minutes. */
export const TIME_CHOICES = [10, 15, 30, 45, 60, 90, 120, 180];

/** The assignee's card: the ticket, its status, and what they can do next. */
export function renderSpecialistCard(t: DispatchTicket, status: TicketStatus, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const n = t.number;
  const reply = button(x.reply, { action: 'reply', ticket: n });
  const close = button(x.close, { action: 'close', ticket: n });
  const reassign = button(x.reassign, { action: 'reassign', ticket: n });
  const escalate = button(x.escalate, { action: 'esc', ticket: n });
  const keyboards: Partial<Record<TicketStatus, KeyboardItem[]>> = {
    assigned: [button(x.accept, { action: 'accept', ticket: n }, 'primary'), reply, NEWLINE, escalate, close, NEWLINE, reassign],
    in_progress: [reply, escalate, NEWLINE, close, reassign],
    escalated: [reply, close, NEWLINE, reassign],
  };
  return { text: `${x.yourTicket}\n${summary(t, lang)}\n${openLink(n, lang)}\n${x.statusLine(x.status[status])}`, keyboard: keyboards[status] ?? null };
}

export function renderDeveloperChoice(t: DispatchTicket, developers: Choice[], lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const devs = developers.map((d) => button(d.name, { action: 'dev', ticket: t.number, arg: String(d.id) }));
  return { text: `${summary(t, lang)}\n${x.chooseDeveloper}`, keyboard: [...rows(devs, 2), NEWLINE, button(x.back, { action: 'back', ticket: t.number })] };
}

export function renderTimeChoice(t: DispatchTicket, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const quick = TIME_CHOICES.map((m) => button(formatMinutes(m, lang), { action: 'time', ticket: t.number, arg: String(m) }));
  return {
    text: `${x.howLong(t.number)}\n[b]${escapeBb(t.subject)}[/b]`,
    keyboard: [...rows(quick, 4), NEWLINE, button(x.other, { action: 'other', ticket: t.number })],
  };
}

export function renderBillableChoice(t: DispatchTicket, minutes: number, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  return {
    text: x.isBillable(t.number, formatMinutes(minutes, lang)),
    keyboard: [
      button(x.billable, { action: 'bill', ticket: t.number, arg: String(minutes) }, 'primary'), NEWLINE,
      button(x.ourFault, { action: 'free', ticket: t.number, arg: String(minutes) }),
    ],
  };
}

export function renderClosed(t: DispatchTicket, minutes: number, billable: boolean, lang: Language): RenderedMessage {
  return { text: TEXTS[lang].closedWith(t.number, formatMinutes(minutes, lang), billable), keyboard: null };
}

export interface Resolution {
  minutes: number;
  billable: boolean;
  /** When the ticket was closed (the Close click), shown in the portal's time zone. */
  closedAt: Date;
  timeZone: string;
}

/** The assignee's card once the time is in: closed, when, how long, billable or not; nothing left to press. */
export function renderResolvedCard(t: DispatchTicket, r: Resolution, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const at = DateTime.fromJSDate(r.closedAt, { zone: r.timeZone }).toFormat('dd.MM HH:mm');
  return {
    text: [x.closedCard, summary(t, lang), x.statusLine(x.status.resolved), x.closedLine(at, formatMinutes(r.minutes, lang), r.billable)].join('\n'),
    keyboard: null,
  };
}

/** Reassign: departments, then (on click) that department's people, on the assignee's own card. */
export function renderReassignChoice(t: DispatchTicket, departments: Choice[], lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const depts = departments.map((d) => button(d.name, { action: 'dept', ticket: t.number, arg: String(d.id) }, 'primary'));
  return { text: `${summary(t, lang)}\n${x.chooseDepartment}`, keyboard: [...rows(depts, 2), NEWLINE, button(x.back, { action: 'back', ticket: t.number })] };
}
