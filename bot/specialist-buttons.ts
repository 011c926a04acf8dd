import { listDevelopers, getEmployee } from '../tickets/store/employee-repo.js';
import { clearConversation, getConversation, setConversation } from '../tickets/store/bot-state-repo.js';
import { transitionTicket } from '../tickets/store/ticket-repo.js';
import { button } from './keyboard.js';
import { send, type Effect } from './effects.js';
import { editClicked, tellClicker, type Click } from './button-context.js';
import { renderBillableChoice, renderDeveloperChoice, renderSpecialistCard, renderTimeChoice } from './render-specialist-card.js';
import { escapeBb } from './escape-bb.js';
import { endConversation } from './end-conversation.js';
import { resolveWithTime } from './resolve-ticket.js';
import type { Employee } from '../tickets/store/employee-repo.js';
import type { BotSettings } from './bot-deps.js';
import type { TicketCard } from './load-ticket-cards.js';
import type { Texts } from './texts.js';

const ACTIVE = ['assigned', 'in_progress', 'escalated'];

/** Only the assignee works a ticket from the bot. */
export function mustBeAssignee(c: Click): Effect[] | null {
  return c.t.ticket.assigneeId === c.actor.id ? null : [tellClicker(c, c.x.notYours(c.t.card.number))];
}

const notActive = (c: Click): Effect[] => [tellClicker(c, c.x.alreadyHandled(c.t.card.number, c.x.status[c.t.ticket.status]))];

export async function onAccept(c: Click): Promise<Effect[]> {
  if (c.t.ticket.status !== 'assigned') return [editClicked(c, renderSpecialistCard(c.t.card, c.t.ticket.status, c.lang))];
  const t = await transitionTicket(c.tx, c.t.ticket.id, { event: 'accept', actor: `employee:${c.actor.id}`, channel: 'bot', at: c.now });
  return [editClicked(c, renderSpecialistCard(c.t.card, t.status, c.lang))];
}

/** Reply: the assignee's next message to the bot goes to the client by mail. */
export async function onReply(c: Click): Promise<Effect[]> {
  if (!ACTIVE.includes(c.t.ticket.status)) return notActive(c);
  if (!c.t.ticket.requesterEmail) return [tellClicker(c, c.x.noRequester(c.t.card.number))];
  return prompt(c, 'reply', c.x.writeReply(c.t.card.number));
}

/**
 * Asks for the person's next message; the prompt's Cancel works only while the question is
 * open. A question still open from before is replaced: its prompt says so and loses its
 * Cancel, which would otherwise cancel this one.
 */
async function prompt(c: Click, mode: 'reply' | 'time', text: string): Promise<Effect[]> {
  const replaced = await endConversation(c.tx, c.actor.b24UserId, null, '', c.x);
  await setConversation(c.tx, c.actor.b24UserId, mode, c.t.ticket.id, c.now);
  return [...replaced, send(String(c.actor.b24UserId), text, [button(c.x.cancel, { action: 'cancel', ticket: c.t.card.number })],
    { prompt: { b24UserId: c.actor.b24UserId, startedAt: c.now.toISOString() } })];
}

/** Cancel ends the open question for this ticket; once the reply or time is in, there is nothing left to cancel. */
export async function onCancel(c: Click): Promise<Effect[]> {
  const open = await getConversation(c.tx, c.actor.b24UserId);
  if (open?.ticketId !== c.t.ticket.id) return [editClicked(c, { text: c.x.nothingToCancel, keyboard: null })];
  await clearConversation(c.tx, c.actor.b24UserId);
  return [editClicked(c, { text: c.x.cancelled, keyboard: null })];
}

export async function onEscalate(c: Click): Promise<Effect[]> {
  if (c.t.ticket.status !== 'assigned' && c.t.ticket.status !== 'in_progress') return notActive(c);
  const developers = await listDevelopers(c.tx);
  if (developers.length === 0) return [tellClicker(c, c.x.noDevelopers)];
  return [editClicked(c, renderDeveloperChoice(c.t.card, developers.map((d) => ({ id: d.id, name: d.name })), c.lang))];
}

/**
 * A developer is chosen: the ticket is escalated and a task opened for them, with the
 * specialist and our webhook user as auditors (its comments then reach us, reference §0).
 */
export async function onDeveloper(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  if (ticket.status !== 'assigned' && ticket.status !== 'in_progress') return notActive(c);
  const developer = await getEmployee(c.tx, Number(c.payload.arg));
  if (!developer?.active) return [];
  const t = await transitionTicket(c.tx, ticket.id, {
    event: 'escalate', actor: `employee:${c.actor.id}`, channel: 'bot', at: c.now, details: { developer: developer.id },
  });
  return [editClicked(c, renderSpecialistCard(card, t.status, c.lang)), escalationTask(c.t, developer, c.actor, c.deps.settings, c.x)];
}

/** The developer's task for an escalated ticket (the bot's Escalate and the operator panel's). */
export function escalationTask(t: { ticket: { id: number }; card: TicketCard['card'] }, developer: Employee, specialist: Employee,
  s: Pick<BotSettings, 'publicUrl' | 'webhookUserId'>, x: Texts): Effect {
  const { card } = t;
  const link = `${s.publicUrl}/tickets/${card.number}`;
  return {
    op: 'task', ticketId: t.ticket.id, ticketNumber: card.number, title: `#${card.number} ${card.subject}`,
    description: [
      // The description is BB-code too: the client's words stay words.
      escapeBb(`${card.company ?? x.unknownClient} · ${card.requesterName ?? ''} <${card.requesterEmail ?? ''}>`),
      '', escapeBb(card.excerpt), '', `[url=${link}]${link}[/url]`,
    ].join('\n'),
    developer: { employeeId: developer.id, b24UserId: developer.b24UserId, name: developer.name, gender: developer.gender },
    specialist: { employeeId: specialist.id, b24UserId: specialist.b24UserId, language: specialist.language },
    auditors: [...new Set([specialist.b24UserId, ...(s.webhookUserId ? [s.webhookUserId] : [])])],
  };
}

/** Close: the ticket waits for its time; the card asks for it. */
export async function onClose(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  if (ACTIVE.includes(ticket.status)) {
    await transitionTicket(c.tx, ticket.id, { event: 'close', actor: `employee:${c.actor.id}`, channel: 'bot', at: c.now });
    return [editClicked(c, renderTimeChoice(card, c.lang))];
  }
  if (ticket.status !== 'awaiting_time') return [tellClicker(c, c.x.timeAlready(card.number))];
  // From a reminder: the question comes as its own message, the reminder stays a list.
  const r = renderTimeChoice(card, c.lang);
  return [send(String(c.actor.b24UserId), r.text, r.keyboard)];
}

export async function onTime(c: Click): Promise<Effect[]> {
  if (c.t.ticket.status !== 'awaiting_time') return [tellClicker(c, c.x.timeAlready(c.t.card.number))];
  return [editClicked(c, renderBillableChoice(c.t.card, Number(c.payload.arg), c.lang))];
}

/** Other: the time is typed as the next message (parsed by parseDuration). */
export async function onOtherTime(c: Click): Promise<Effect[]> {
  if (c.t.ticket.status !== 'awaiting_time') return [tellClicker(c, c.x.timeAlready(c.t.card.number))];
  return prompt(c, 'time', c.x.typeTime(c.t.card.number));
}

export async function onBillable(c: Click): Promise<Effect[]> {
  const minutes = Number(c.payload.arg);
  if (c.t.ticket.status !== 'awaiting_time' || !(minutes > 0)) return [tellClicker(c, c.x.timeAlready(c.t.card.number))];
  return resolveWithTime(c.tx, c.deps, {
    actor: c.actor, t: c.t, minutes, billable: c.payload.action === 'bill', now: c.now, questionMessageId: c.input.messageId,
  });
}
