import type { Sql } from '../tickets/store/db.js';
import type { Employee } from '../tickets/store/employee-repo.js';
import { clientMailLanguage, insertOutboundMail } from '../tickets/store/message-repo.js';
import { transitionTicket } from '../tickets/store/ticket-repo.js';
import { lockTicketCard } from './load-ticket-cards.js';
import type { AttachmentMeta, Channel } from '../tickets/types.js';
import type { BotSettings } from './bot-deps.js';
import { send, type Effect } from './effects.js';
import { endConversation } from './end-conversation.js';
import { TEXTS } from './texts.js';

const REPLYABLE = ['assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved'];

/** Mail has no BB-codes: keep the words, drop the markup a messenger message may carry. */
export function bbToPlain(text: string): string {
  return text.replace(/\[(\/?)(b|i|u|s|code|size|color|url|user|chat)(=[^\]]*)?\]/gi, '').trim();
}

/** What replying needs of the bot's settings (the panel passes the same). */
export type ReplyDeps = { settings: Pick<BotSettings, 'language' | 'messageIdDomain'> };

/**
 * The assignee's message becomes a mail to the client, in the ticket's thread. The bot and the
 * operator panel both answer through this (the panel with `channel: 'web'` and attachments).
 */
export async function replyToClient(tx: Sql, deps: ReplyDeps, actor: Employee, ref: { number: number } | { id: number }, text: string,
  now: Date, o: { channel?: Channel; attachments?: AttachmentMeta[] } = {}): Promise<Effect[]> {
  const x = TEXTS[actor.language];
  const dm = String(actor.b24UserId);
  const card = await lockTicketCard(tx, ref);
  if (!card) return [send(dm, x.notFound('number' in ref ? `#${ref.number}` : String(ref.id)))];
  const locked = card.ticket;
  const number = locked.number;
  if (locked.assigneeId !== actor.id) return [send(dm, x.notYours(number))];
  if (!REPLYABLE.includes(locked.status)) return [send(dm, x.alreadyHandled(number, x.status[locked.status]))];
  if (!locked.requesterEmail) return [send(dm, x.noRequester(number))];
  // Answering the client is taking the ticket on.
  if (locked.status === 'assigned') await transitionTicket(tx, locked.id, { event: 'accept', actor: `employee:${actor.id}`, channel: o.channel ?? 'bot', at: now });
  const rowId = await insertOutboundMail(tx, {
    ticketId: locked.id, kind: 'reply', to: [locked.requesterEmail], bodyText: bbToPlain(text),
    language: await clientMailLanguage(tx, locked.id) ?? card.clientLanguage ?? deps.settings.language, authorEmployeeId: actor.id, messageIdDomain: deps.settings.messageIdDomain, at: now,
    ...(o.attachments?.length ? { attachments: o.attachments } : {}),
  });
  const prompt = await endConversation(tx, actor.b24UserId, locked.id, x.replySent(number, locked.requesterEmail), x);
  return [{ op: 'mail', messageRowIds: [rowId] }, ...prompt, send(dm, x.replySent(number, locked.requesterEmail))];
}
