import type { Sql } from '../tickets/store/db.js';
import type { Employee } from '../tickets/store/employee-repo.js';
import { getPost } from '../tickets/store/bot-state-repo.js';
import { clientMailLanguage, insertOutboundMail, insertTimeEntry } from '../tickets/store/message-repo.js';
import { transitionTicket } from '../tickets/store/ticket-repo.js';
import { recordTicketPackageAlerts } from '../reports/package-alerts.js';
import type { Channel } from '../tickets/types.js';
import type { BotSettings } from './bot-deps.js';
import { update, type Effect } from './effects.js';
import type { TicketCard } from './load-ticket-cards.js';
import { endConversation } from './end-conversation.js';
import { renderClosed, renderResolvedCard } from './render-specialist-card.js';
import { TEXTS } from './texts.js';

/**
 * Records the time spent on a ticket closed without it, resolves the ticket and mails the
 * client that it is resolved. Returns what to say: the confirmation replaces the question
 * (`questionMessageId`) and the assignee's card loses its buttons.
 */
export async function resolveWithTime(tx: Sql, deps: { settings: Pick<BotSettings, 'language' | 'messageIdDomain' | 'timeZone'> }, a: {
  actor: Employee; t: TicketCard; minutes: number; billable: boolean; now: Date; questionMessageId: number | null;
  /** Where the time was given: the bot, or the operator panel ('web'). */
  channel?: Channel;
}): Promise<Effect[]> {
  const { ticket, card } = a.t;
  if (ticket.status !== 'awaiting_time') return [];
  await insertTimeEntry(tx, { ticketId: ticket.id, employeeId: a.actor.id, minutes: a.minutes, billable: a.billable, at: a.now });
  await transitionTicket(tx, ticket.id, {
    event: 'record_time', actor: `employee:${a.actor.id}`, channel: a.channel ?? 'bot', at: a.now, details: { minutes: a.minutes, billable: a.billable },
  });
  const x = TEXTS[a.actor.language];
  const prompt = await endConversation(tx, a.actor.b24UserId, ticket.id, x.typeTime(card.number), x);
  // With the time, in its transaction: a client now past 80 % / 100 % is noticed at once (the bot tick tells the manager).
  await recordTicketPackageAlerts(tx, ticket, deps.settings.timeZone);
  const mail = ticket.requesterEmail && !ticket.unparsed
    ? [await insertOutboundMail(tx, {
      ticketId: ticket.id, kind: 'resolved', to: [ticket.requesterEmail], bodyText: '', language: await clientMailLanguage(tx, ticket.id) ?? a.t.clientLanguage ?? deps.settings.language,
      authorEmployeeId: a.actor.id, messageIdDomain: deps.settings.messageIdDomain, at: a.now,
    })]
    : [];
  const done = renderClosed(card, a.minutes, a.billable, a.actor.language);
  const resolved = renderResolvedCard(card, {
    minutes: a.minutes, billable: a.billable, closedAt: ticket.closedAt ?? a.now, timeZone: deps.settings.timeZone,
  }, a.actor.language);
  // The card says the whole story; a separate question message (after a typed time) just the outcome.
  const post = await getPost(tx, ticket.id, 'specialist');
  const question = a.questionMessageId && a.questionMessageId !== post?.messageId ? [update(a.questionMessageId, done)] : [];
  const cardMessage = post?.messageId ? [update(post.messageId, resolved)]
    : question.length ? [] : [{ op: 'send' as const, dialogId: String(a.actor.b24UserId), ...done }];
  return [
    ...prompt,
    ...question,
    ...cardMessage,
    ...(mail.length > 0 ? [{ op: 'mail' as const, messageRowIds: mail }] : []),
  ];
}
