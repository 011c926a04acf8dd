import { personOfEmployee } from '../../bot/person-name.js';
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { BlobStore } from '../../connectors/mail/blob-store.js';
import type { BotSettings } from '../../bot/bot-deps.js';
import { send, update, type Effect } from '../../bot/effects.js';
import { renderAssigned } from '../../bot/render-dispatch-message.js';
import { TEXTS } from '../../bot/texts.js';
import { lockTicketCard, type TicketCard } from '../../bot/load-ticket-cards.js';
import { renderSpecialistCard, renderTimeChoice } from '../../bot/render-specialist-card.js';
import { replyToClient } from '../../bot/reply-to-client.js';
import { resolveWithTime } from '../../bot/resolve-ticket.js';
import { recordEffects } from '../../bot/run-effects.js';
import type { Db, Sql } from '../../tickets/store/db.js';
import { recordAudit } from '../../tickets/store/audit-repo.js';
import { getPost, reservePost } from '../../tickets/store/bot-state-repo.js';
import { getEmployee, listDevelopers } from '../../tickets/store/employee-repo.js';
import { escalationTask } from '../../bot/specialist-buttons.js';
import { insertNote } from '../../tickets/store/message-repo.js';
import { transitionTicket } from '../../tickets/store/ticket-repo.js';
import type { AttachmentMeta } from '../../tickets/types.js';
import { NotFoundError, PortalError } from '../portal-errors.js';
import { findStaffTicket } from './get-staff-ticket.js';
import type { Staff } from './staff-rights.js';

/** A ticket rule said no; `message` is what the bot would have said (in the person's language). */
export class ActionRefusedError extends PortalError {
  constructor(message: string) { super('ticket.refused', message); }
}

export interface PanelActionDeps {
  db: Db;
  blobs: BlobStore;
  log: Logger;
  settings: Pick<BotSettings, 'language' | 'messageIdDomain' | 'timeZone' | 'publicUrl' | 'webhookUserId'>;
  /** Queues the send of committed outgoing mail rows (the same job the bot's mail effects queue). */
  queueMail(messageRowIds: number[]): Promise<void>;
  /** Asks the bot (in the worker) to run the effects stored under `key`; absent without a portal. */
  handOver?(key: string): Promise<void>;
  now(): Date;
}

const ACTIVE = ['assigned', 'in_progress', 'escalated'];

/**
 * Runs one panel action the way the bot runs a click: decided in one transaction under the
 * ticket's row lock by the bot's own domain functions; what the bot must then say (card edits)
 * is stored with the decision and handed to the bot's process, mail is queued here. Messages to
 * the acting person's own dialog are dropped: they see the result on the page.
 */
async function act(deps: PanelActionDeps, staff: Staff, number: number, decide: (tx: Sql, t: TicketCard) => Promise<Effect[]>): Promise<void> {
  const key = `panel-${crypto.randomUUID()}`;
  const own = String(staff.employee.b24UserId);
  const { mail, bot } = await deps.db.transaction(async (tx) => {
    await findStaffTicket(tx, staff, number);
    const t = await lockTicketCard(tx, { number });
    if (!t) throw new ActionRefusedError(`#${number}`);
    const effects = await decide(tx, t);
    const bot = effects.filter((e) => e.op !== 'mail' && !(e.op === 'send' && e.dialogId === own));
    if (bot.length > 0 && deps.handOver) await recordEffects(tx, key, bot, deps.now());
    return { mail: effects.flatMap((e) => (e.op === 'mail' ? e.messageRowIds : [])), bot };
  });
  if (mail.length > 0) await deps.queueMail(mail);
  if (bot.length > 0 && deps.handOver) await deps.handOver(key);
}

/** The assignee's own explanation when a bot rule refused (its only effect is a message to them). */
function refusal(effects: Effect[]): never {
  const said = effects.find((e) => e.op === 'send');
  throw new ActionRefusedError(said && said.op === 'send' ? said.text : 'refused');
}

export async function replyFromPanel(deps: PanelActionDeps, staff: Staff, number: number, text: string,
  files: Array<{ filename: string; contentType: string; content: Buffer }>): Promise<void> {
  // Blobs are content-addressed: storing them before the transaction leaves at most an unused file.
  const attachments: AttachmentMeta[] = await Promise.all(files.map(async (f) => ({
    filename: f.filename, contentType: f.contentType, size: f.content.length, sha256: await deps.blobs.put(f.content),
  })));
  await act(deps, staff, number, async (tx, t) => {
    const effects = await replyToClient(tx, deps, staff.employee, { id: t.ticket.id }, text, deps.now(), { channel: 'web', attachments });
    return effects.some((e) => e.op === 'mail') ? effects : refusal(effects);
  });
}

export async function noteFromPanel(deps: PanelActionDeps, staff: Staff, number: number, text: string): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    if (t.ticket.status === 'merged') throw new ActionRefusedError(`#${number} merged`);
    const at = deps.now();
    await insertNote(tx, { ticketId: t.ticket.id, text, authorEmployeeId: staff.employee.id, at });
    await recordAudit(tx, { ticketId: t.ticket.id, actor: `employee:${staff.employee.id}`, channel: 'web', action: 'note', at });
    return [];
  });
}

/** The specialist card in the assignee's dialog, shown anew for `status`. */
async function refreshSpecialistCard(tx: Sql, t: TicketCard, status: TicketCard['ticket']['status'], staff: Staff): Promise<Effect[]> {
  const post = await getPost(tx, t.ticket.id, 'specialist');
  return post?.messageId ? [update(post.messageId, renderSpecialistCard(t.card, status, staff.employee.language))] : [];
}

function mustBeAssignee(staff: Staff, t: TicketCard): void {
  if (t.ticket.assigneeId !== staff.employee.id) throw new ActionRefusedError(`#${t.ticket.number}: not assigned to you`);
}

export async function acceptFromPanel(deps: PanelActionDeps, staff: Staff, number: number): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    mustBeAssignee(staff, t);
    const next = await transitionTicket(tx, t.ticket.id, { event: 'accept', actor: `employee:${staff.employee.id}`, channel: 'web', at: deps.now() });
    return refreshSpecialistCard(tx, t, next.status, staff);
  });
}

/**
 * Close with the time spent, in one step: the bot's Close (the ticket waits for its time) and
 * then its time answer (resolveWithTime: time entry, resolution mail, the card loses its buttons).
 */
export async function closeFromPanel(deps: PanelActionDeps, staff: Staff, number: number, minutes: number, billable: boolean): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    mustBeAssignee(staff, t);
    const now = deps.now();
    if (ACTIVE.includes(t.ticket.status)) {
      await transitionTicket(tx, t.ticket.id, { event: 'close', actor: `employee:${staff.employee.id}`, channel: 'web', at: now });
    }
    const closed = (await lockTicketCard(tx, { id: t.ticket.id }))!;
    if (closed.ticket.status !== 'awaiting_time') throw new ActionRefusedError(`#${number}: ${closed.ticket.status}`);
    return resolveWithTime(tx, deps, { actor: staff.employee, t: closed, minutes, billable, now, questionMessageId: null, channel: 'web' });
  });
}

/**
 * Close without the time yet (the board's "waiting for time"): the bot's Close, whose card then
 * asks the assignee for the time, as after the card's own button.
 */
export async function closeForTimeFromPanel(deps: PanelActionDeps, staff: Staff, number: number): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    mustBeAssignee(staff, t);
    if (!ACTIVE.includes(t.ticket.status)) throw new ActionRefusedError(`#${number}: ${t.ticket.status}`);
    await transitionTicket(tx, t.ticket.id, { event: 'close', actor: `employee:${staff.employee.id}`, channel: 'web', at: deps.now() });
    const post = await getPost(tx, t.ticket.id, 'specialist');
    return post?.messageId ? [update(post.messageId, renderTimeChoice(t.card, staff.employee.language))] : [];
  });
}

/**
 * Assign (a new ticket: anyone, as in the dispatch chat) or reassign (the assignee or an
 * administrator). The same transition and the same messages as the bot's employee button: the
 * new assignee gets their card, the previous one is told, the dispatch card says who and by whom.
 */
export async function assignFromPanel(deps: PanelActionDeps, staff: Staff, number: number, employeeId: number): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    const { ticket, card } = t;
    if (ticket.status !== 'new' && ticket.assigneeId !== staff.employee.id && !staff.admin) {
      throw new ActionRefusedError(`#${number}: not assigned to you`);
    }
    const employee = await getEmployee(tx, employeeId);
    if (!employee?.active) throw new NotFoundError(`employee ${employeeId}`);
    const now = deps.now();
    const previous = ticket.assigneeId ? await getEmployee(tx, ticket.assigneeId) : null;
    const previousCard = previous ? await getPost(tx, ticket.id, 'specialist') : null;
    const assigned = await transitionTicket(tx, ticket.id, {
      event: 'assign', actor: `employee:${staff.employee.id}`, channel: 'web', at: now,
      set: { assigneeId: employee.id, departmentId: employee.departmentId }, details: { assignee: employee.id },
    });
    const dialogId = String(employee.b24UserId);
    await reservePost(tx, ticket.id, 'specialist', dialogId);
    const cardFor = renderSpecialistCard(card, assigned.status, employee.language);
    const dispatchPost = await getPost(tx, ticket.id, 'dispatch');
    return [
      ...(previous && previousCard?.messageId && previous.id !== employee.id
        ? [update(previousCard.messageId, { text: TEXTS[previous.language].reassignedAway(card.number, personOfEmployee(employee)), keyboard: null })] : []),
      ...(dispatchPost?.messageId
        ? [update(dispatchPost.messageId, renderAssigned(card, personOfEmployee(employee), personOfEmployee(staff.employee), now, deps.settings.timeZone, deps.settings.language))] : []),
      send(dialogId, cardFor.text, cardFor.keyboard, { post: { ticketId: ticket.id, role: 'specialist' } }),
    ];
  });
}

/** Escalate: the same transition and the same developer's task as the bot's Escalate, opened by the bot. */
export async function escalateFromPanel(deps: PanelActionDeps, staff: Staff, number: number, developerId: number): Promise<void> {
  await act(deps, staff, number, async (tx, t) => {
    mustBeAssignee(staff, t);
    if (t.ticket.status !== 'assigned' && t.ticket.status !== 'in_progress') throw new ActionRefusedError(`#${number}: ${t.ticket.status}`);
    const developer = (await listDevelopers(tx)).find((d) => d.id === developerId);
    if (!developer) throw new NotFoundError(`developer ${developerId}`);
    const next = await transitionTicket(tx, t.ticket.id, {
      event: 'escalate', actor: `employee:${staff.employee.id}`, channel: 'web', at: deps.now(), details: { developer: developer.id },
    });
    return [...await refreshSpecialistCard(tx, t, next.status, staff),
      escalationTask(t, developer, staff.employee, deps.settings, TEXTS[staff.employee.language])];
  });
}
