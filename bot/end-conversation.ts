import type { Sql } from '../tickets/store/db.js';
import { clearConversation } from '../tickets/store/bot-state-repo.js';
import { update, type Effect } from './effects.js';
import type { Texts } from './texts.js';

/**
 * Ends a person's conversation (a reply or a typed time) because its action is done: the
 * prompt that asked loses its Cancel and says `doneText`. A prompt for another ticket, left
 * open by this action, says it was cancelled; so does one a new question replaces (`ticketId`
 * null). Either way Cancel can no longer undo anything.
 */
export async function endConversation(tx: Sql, b24UserId: number, ticketId: number | null, doneText: string, x: Texts): Promise<Effect[]> {
  const ended = await clearConversation(tx, b24UserId);
  if (!ended?.promptMessageId) return [];
  return [update(ended.promptMessageId, { text: ended.ticketId === ticketId ? doneText : x.cancelled, keyboard: null })];
}
