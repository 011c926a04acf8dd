import { ensureEmployee } from '../tickets/store/employee-repo.js';
import { getConversation } from '../tickets/store/bot-state-repo.js';
import type { BotDeps } from './bot-deps.js';
import { send } from './effects.js';
import { endConversation } from './end-conversation.js';
import { loadTicketCard } from './load-ticket-cards.js';
import { parseDuration } from './parse-duration.js';
import type { BotInput } from './read-bot-event.js';
import { renderBillableChoice } from './render-specialist-card.js';
import { replyToClient } from './reply-to-client.js';
import { applyOnce } from './run-effects.js';
import { TEXTS } from './texts.js';

/**
 * A message written to the bot: `#1042 text` answers the client; after Reply it is the answer;
 * after "Other" it is the time spent; anything else gets the help.
 */
export async function handleText(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const user = input.user!;
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    const x = TEXTS[actor.language];
    const dm = String(actor.b24UserId);
    const now = deps.now();
    const text = input.text.trim();
    const tagged = /^#(\d{1,12})\s+([\s\S]+)$/.exec(text);
    if (tagged) return replyToClient(tx, deps, actor, { number: Number(tagged[1]) }, tagged[2], now);
    const conversation = await getConversation(tx, actor.b24UserId);
    if (conversation?.mode === 'reply') return replyToClient(tx, deps, actor, { id: conversation.ticketId }, text, now);
    if (conversation?.mode === 'time') {
      const minutes = parseDuration(text);
      // Never a guess: anything unreadable gets examples back, and the question stays open.
      if (minutes === null) return [send(dm, x.badTime(text.slice(0, 40)))];
      const t = (await loadTicketCard(tx, conversation.ticketId))!;
      const prompt = await endConversation(tx, actor.b24UserId, t.ticket.id, x.typeTime(t.card.number), x);
      if (t.ticket.status !== 'awaiting_time') return [...prompt, send(dm, x.timeAlready(t.card.number))];
      const r = renderBillableChoice(t.card, minutes, actor.language);
      return [...prompt, send(dm, r.text, r.keyboard)];
    }
    return [send(input.isPrivate ? dm : input.dialogId, x.help)];
  });
}
