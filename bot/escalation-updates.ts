import { ensureEmployee, getEmployee } from '../tickets/store/employee-repo.js';
import { completeEscalation, findEscalationByChat, findEscalationByTask, listOpenEscalations, type Escalation } from '../tickets/store/escalation-repo.js';
import { insertNote } from '../tickets/store/message-repo.js';
import { getTicket, transitionTicket } from '../tickets/store/ticket-repo.js';
import { getTask, readChatMessage, TASK_COMPLETED } from '../connectors/bitrix24/tasks.js';
import type { BotDeps } from './bot-deps.js';
import { send } from './effects.js';
import { escapeBb } from './render-dispatch-message.js';
import type { BotInput } from './read-bot-event.js';
import { applyOnce } from './run-effects.js';
import { personOfEmployee } from './person-name.js';
import { TEXTS } from './texts.js';

/**
 * A message in an escalation task's chat is a developer's comment (reference §0, new task
 * card): it becomes an internal note on the ticket and a message to the specialist.
 */
export async function handleTaskChatMessage(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  if (input.isSystem || !input.user || input.user.isBot || input.authorId === deps.settings.webhookUserId) return;
  const escalation = await findEscalationByChat(deps.db, input.chatId);
  if (!escalation || !input.text.trim()) return;
  const user = input.user;
  await applyOnce(deps, key, async (tx) => {
    const author = await ensureEmployee(tx, user.b24Id, user.name, null);
    const ticket = await getTicket(tx, escalation.ticketId);
    await insertNote(tx, { ticketId: ticket.id, text: `${author.name}: ${input.text}`, authorEmployeeId: author.id, at: deps.now() });
    const specialist = await getEmployee(tx, escalation.specialistId);
    if (!specialist || author.id === specialist.id) return [];
    // Every line of the comment quoted, each as the developer wrote it (brackets too).
    const quoted = input.text.trim().split(/\r?\n/).map((line) => `>>${escapeBb(line)}`).join('\n');
    return [send(String(specialist.b24UserId), `${TEXTS[specialist.language].devComment(ticket.number, personOfEmployee(author))}\n${quoted}`)];
  });
}

/**
 * ONTASKCOMMENTADD, pushed in OAuth mode (reference §2): the new task card sends ids only,
 * `FIELDS_AFTER[TASK_ID, MESSAGE_ID]` with ID=0, so the comment is read from the task's chat
 * and then handled exactly like the task-chat message webhook mode pulls. The old card's
 * comments (no MESSAGE_ID) are not read: its comment methods are deprecated (reference §4).
 */
export async function handleTaskCommentEvent(deps: BotDeps, data: Record<string, unknown>): Promise<void> {
  const after = (data.FIELDS_AFTER && typeof data.FIELDS_AFTER === 'object' ? data.FIELDS_AFTER : {}) as Record<string, unknown>;
  const taskId = Number(after.TASK_ID);
  const messageId = Number(after.MESSAGE_ID);
  if (!taskId || !messageId) return;
  const escalation = await findEscalationByTask(deps.db, taskId);
  if (!escalation) return;
  const chatId = escalation.chatId ?? (await getTask(deps.b24, taskId)).chatId;
  if (!chatId) return;
  const message = await readChatMessage(deps.b24, chatId, messageId);
  if (!message) return;
  // The same key as any other way this message may reach us: applied once.
  await handleTaskChatMessage(deps, `task-comment-${messageId}`, {
    type: 'ONTASKCOMMENTADD', user: message.author, language: null, dialogId: `chat${chatId}`, chatId, isPrivate: false,
    chatEntityType: 'TASKS_TASK', messageId, authorId: message.authorId, text: message.text, isSystem: message.author === null,
    command: null,
  });
}

/** A task completed: the specialist is told; the ticket stays theirs and leaves "escalated". */
async function taskDone(deps: BotDeps, e: Escalation): Promise<void> {
  await applyOnce(deps, `task-done-${e.taskId}`, async (tx) => {
    if (!(await completeEscalation(tx, e.id, deps.now()))) return [];
    const ticket = await getTicket(tx, e.ticketId, { forUpdate: true });
    const others = await tx.query(`select 1 from escalations where ticket_id = $1 and completed_at is null`, [ticket.id]);
    if (ticket.status === 'escalated' && others.length === 0) {
      await transitionTicket(tx, ticket.id, { event: 'task_done', actor: 'system', channel: 'bot', at: deps.now(), details: { task: e.taskId } });
    }
    const specialist = await getEmployee(tx, e.specialistId);
    return specialist ? [send(String(specialist.b24UserId), TEXTS[specialist.language].taskDone(ticket.number, e.taskId))] : [];
  });
}

/**
 * Looks at the open escalation tasks (no task events without an app, reference §0): one read
 * each, batched by the call queue. Also answers ONTASKUPDATE pushes in OAuth mode.
 */
export async function checkEscalations(deps: BotDeps, onlyTaskId?: number): Promise<number> {
  const open = await listOpenEscalations(deps.db, onlyTaskId);
  const done = await Promise.all(open.map(async (e) => {
    const task = await getTask(deps.b24, e.taskId).catch((err: Error) => {
      deps.log.warn({ task: e.taskId, err: err.message }, 'could not read an escalation task');
      return null;
    });
    if (task?.status !== TASK_COMPLETED) return false;
    await taskDone(deps, e);
    return true;
  }));
  return done.filter(Boolean).length;
}
