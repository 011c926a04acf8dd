import type { Sql } from '../tickets/store/db.js';
import { getEmployee } from '../tickets/store/employee-repo.js';
import { getPost } from '../tickets/store/bot-state-repo.js';
import type { Language } from '../tickets/types.js';
import { send, update, type Effect } from './effects.js';
import type { TicketCard } from './load-ticket-cards.js';
import { dispatchCardAt } from './dispatch-buttons.js';
import { escapeBb, type Choice } from './render-dispatch-message.js';
import { TEXTS } from './texts.js';

/** An outgoing mail the relay refused for good (workers/send-mail.ts marked it for the bot). */
export interface FailedMail {
  toAddresses: string[];
  sendError: string | null;
}

/**
 * Says that our mail on a ticket could not be delivered: to its assignee, at once; on a ticket
 * nobody took yet, the dispatch card is redrawn, now with the warning (every card drawn from
 * now on carries it, see load-ticket-cards.ts), on the step the dispatcher has it on: the
 * card's row is locked, so a click that moves it waits for this redraw or is seen by it.
 */
export async function announceFailedMail(tx: Sql, c: TicketCard, mail: FailedMail, departments: Choice[], language: Language): Promise<Effect[]> {
  const to = escapeBb(mail.toAddresses.join(', '));
  const reason = escapeBb(mail.sendError ?? '');
  if (c.ticket.assigneeId) {
    const assignee = await getEmployee(tx, c.ticket.assigneeId);
    return assignee ? [send(String(assignee.b24UserId), TEXTS[assignee.language].mailFailed(c.card.number, to, reason))] : [];
  }
  const post = await getPost(tx, c.ticket.id, 'dispatch', { forUpdate: true });
  if (c.ticket.status !== 'new' || !post?.messageId) return [];
  return [update(post.messageId, await dispatchCardAt(tx, c.card, post.view, departments, language))];
}
