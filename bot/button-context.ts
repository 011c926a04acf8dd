import type { Sql } from '../tickets/store/db.js';
import { findPostByMessage, findReminderByMessage, getPost, setPostView, type Reminder } from '../tickets/store/bot-state-repo.js';
import type { Employee } from '../tickets/store/employee-repo.js';
import type { Language } from '../tickets/types.js';
import type { BotDeps } from './bot-deps.js';
import type { ButtonPayload } from './button-codec.js';
import { send, update, type Effect } from './effects.js';
import type { TicketCard } from './load-ticket-cards.js';
import type { RenderedMessage } from './render-dispatch-message.js';
import { buildUnassignedReminder } from './remind.js';
import type { BotInput } from './read-bot-event.js';
import { TEXTS, type Texts } from './texts.js';

/** Which of our messages a click came from: it is the one the click edits. */
export type Surface =
  | { kind: 'dispatch' | 'specialist' | 'other' }
  | { kind: 'reminder'; reminder: Reminder };

/** Everything a button handler works with, inside the transaction that holds the ticket's lock. */
export interface Click {
  deps: BotDeps;
  tx: Sql;
  input: BotInput;
  payload: ButtonPayload;
  actor: Employee;
  now: Date;
  /** The clicked dialog's language: the portal's in the dispatch chat, the person's in a private one. */
  lang: Language;
  x: Texts;
  /** The ticket, locked for this transaction. */
  t: TicketCard;
  surface: Surface;
}

export async function findSurface(tx: Sql, ticketId: number, messageId: number): Promise<Surface> {
  const post = await findPostByMessage(tx, messageId);
  if (post?.ticketId === ticketId) return { kind: post.role };
  const reminder = await findReminderByMessage(tx, messageId);
  return reminder ? { kind: 'reminder', reminder } : { kind: 'other' };
}

/** Edits the clicked message. */
export const editClicked = (c: Click, r: RenderedMessage): Effect => update(c.input.messageId, r);

/** Answers the person who clicked, in a private message (a group chat need not read it). */
export const tellClicker = (c: Click, text: string): Effect => send(String(c.actor.b24UserId), text);

/**
 * The dispatch card, wherever the click came from, edited to `r` (nothing if it was never
 * posted); the step it was on is over.
 */
export async function editDispatchCard(c: Click, r: RenderedMessage): Promise<Effect[]> {
  const post = await getPost(c.tx, c.t.ticket.id, 'dispatch');
  if (post?.view) await setPostView(c.tx, c.t.ticket.id, 'dispatch', null);
  return post?.messageId ? [update(post.messageId, r)] : [];
}

/** The dispatch chat's current reminder, re-rendered (after an assignment, or to open one ticket in it). */
export async function refreshReminder(c: Click, focus?: Parameters<typeof buildUnassignedReminder>[3]): Promise<Effect[]> {
  const s = c.deps.settings;
  const [row] = await c.tx.query<{ message_id: number | null }>(
    `select message_id from bot_reminders where kind = 'unassigned' and dialog_id = $1`, [s.dispatchDialog]);
  if (!row?.message_id) return [];
  const r = await buildUnassignedReminder(c.tx, s, c.now, focus);
  return [update(row.message_id, r)];
}

export const textsFor = (lang: Language): Texts => TEXTS[lang];
