import { DateTime } from 'luxon';
import type { AutoKind, Language } from '../tickets/types.js';
import { button, NEWLINE, rows, type KeyboardItem } from './keyboard.js';
import { escapeBb } from './escape-bb.js';
import type { Person } from './person-name.js';
import { formatBytes, openLink, TEXTS } from './texts.js';

export { escapeBb } from './escape-bb.js';

export interface DispatchTicket {
  number: number;
  subject: string;
  company: string | null;
  requesterName: string | null;
  requesterEmail: string | null;
  /** The first mail's From named no usable address: the sender shown is a guess, or none. */
  senderUnknown?: boolean;
  excerpt: string;
  /** The first mail's files, by name and size. */
  attachments: Array<{ name: string; size: number }>;
  /** The ticket's first mail was automatic (a bounce, an auto-reply...): nobody was answered. */
  autoKind?: AutoKind | null;
  /** Addresses our mail on this ticket could not be delivered to, for good. */
  undeliverable?: string[];
}

export interface Choice {
  id: number;
  name: string;
}

export interface RenderedMessage {
  text: string;
  keyboard: KeyboardItem[] | null;
}

/** The files line: each by name and size (the card's "Open" line leads to them). */
export function attachmentsLine(files: DispatchTicket['attachments'], lang: Language): string {
  return TEXTS[lang].attachments(files.map((a) => `${escapeBb(a.name)} (${formatBytes(a.size, lang)})`).join(', '));
}

/** The essentials of a ticket, as every card shows them. */
export function summary(t: DispatchTicket, lang: Language): string {
  const x = TEXTS[lang];
  const sender = t.requesterName ? `${t.requesterName} <${t.requesterEmail ?? ''}>` : t.requesterEmail ?? '—';
  const excerpt = t.excerpt.replace(/\s+/g, ' ').trim();
  return [
    `[b]#${t.number}[/b] · ${escapeBb(t.company ?? x.unknownClient)}`,
    `${x.from}: ${escapeBb(sender)}`,
    ...(t.senderUnknown ? [x.unknownSender] : []),
    `[b]${escapeBb(t.subject)}[/b]`,
    ...(excerpt ? [`>>${escapeBb(excerpt.length > 160 ? `${excerpt.slice(0, 159)}…` : excerpt)}`] : []),
    ...(t.attachments.length > 0 ? [attachmentsLine(t.attachments, lang)] : []),
    ...(t.autoKind ? [x.automatic(x.autoKinds[t.autoKind] ?? t.autoKind)] : []),
    ...(t.undeliverable?.length ? [x.undeliverable(escapeBb(t.undeliverable.join(', ')))] : []),
  ].join('\n');
}

/** A new ticket for the dispatchers: its essentials, one button per department, "not a request". */
export function renderDispatchMessage(t: DispatchTicket, departments: Choice[], lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const depts = departments.map((d) => button(d.name, { action: 'dept', ticket: t.number, arg: String(d.id) }, 'primary'));
  return {
    text: `${summary(t, lang)}\n${openLink(t.number, lang)}\n${x.chooseDepartment}`,
    keyboard: [...rows(depts, 2), NEWLINE, button(x.notARequest, { action: 'spam', ticket: t.number }, 'alert')],
  };
}

/** The same message after a department click: that department's employees, and Back. */
export function renderEmployeeChoice(t: DispatchTicket, department: Choice, employees: Choice[], lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const people = employees.map((e) => button(e.name, { action: 'emp', ticket: t.number, arg: String(e.id) }));
  return {
    text: `${summary(t, lang)}\n${x.chooseEmployee(escapeBb(department.name))}`,
    keyboard: [...rows(people, 2), NEWLINE, button(x.back, { action: 'back', ticket: t.number })],
  };
}

/** After the first click wins: who assigned it to whom and when, no buttons. */
export function renderAssigned(t: DispatchTicket, to: Person, by: Person, at: Date, timeZone: string, lang: Language): RenderedMessage {
  const time = DateTime.fromJSDate(at, { zone: timeZone }).toFormat('HH:mm');
  return { text: `${summary(t, lang)}\n${openLink(t.number, lang)}\n${TEXTS[lang].assigned(to, by, time)}`, keyboard: null };
}

/** "Not a request": the reason, then the ticket closes without time. */
export function renderRejectReasons(t: DispatchTicket, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const reasons = Object.entries(x.reasons).map(([code, name]) => button(name, { action: 'spam', ticket: t.number, arg: code }, 'alert'));
  return { text: `${summary(t, lang)}\n${x.chooseReason}`, keyboard: [...reasons, NEWLINE, button(x.back, { action: 'back', ticket: t.number })] };
}

export function renderRejected(t: DispatchTicket, reason: string, by: string, at: Date, timeZone: string, lang: Language): RenderedMessage {
  const x = TEXTS[lang];
  const time = DateTime.fromJSDate(at, { zone: timeZone }).toFormat('HH:mm');
  return { text: `${summary(t, lang)}\n${x.rejected(x.reasons[reason] ?? reason, escapeBb(by), time)}`, keyboard: null };
}

/** A ticket joined into another of the same thread: where it went, no buttons (any card of it). */
export function renderMerged(t: DispatchTicket, into: number, lang: Language): RenderedMessage {
  return { text: `${summary(t, lang)}\n${TEXTS[lang].mergedInto(into)}`, keyboard: null };
}
