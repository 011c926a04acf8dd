import { touch, type PortalContext } from '../portal-context.js';
import { nextId, type MessageRecord, type TaskRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { addMembers, createChat } from '../messenger/chats.js';
import { postMessage } from '../messenger/post-message.js';
import { fireAppEvent, taskAddData, taskCommentAddData, taskUpdateData } from '../events/app-event-delivery.js';
import { asInt, asIntList, asString } from '../methods/params.js';

export const TASK_COMPLETED = 5;

export function taskError(description: string): RestError {
  // reference §4: task failures are 400 ERROR_CORE with localized text
  return new RestError(400, 'ERROR_CORE', description);
}

export function canAccessTask(ctx: PortalContext, task: TaskRecord, userId: number): boolean {
  if (ctx.state.data.users.get(userId)?.isAdmin) return true;
  return taskMembers(task).includes(userId);
}

export function findTask(ctx: PortalContext, taskId: number | undefined, userId: number): TaskRecord {
  const task = taskId === undefined ? undefined : ctx.state.data.tasks.get(taskId);
  if (!task || !canAccessTask(ctx, task, userId)) throw taskError('Задача не найдена или доступ запрещен');
  return task;
}

function taskMembers(task: TaskRecord): number[] {
  return [...new Set([task.createdBy, task.responsibleId, ...task.auditors, ...task.accomplices])];
}

/** tasks.task.add: every task gets its chat (new card, tasks ≥ 25.700.0, reference §0). */
export function createTask(ctx: PortalContext, fields: Record<string, unknown>, callerId: number): TaskRecord {
  const title = asString(fields.TITLE)?.trim();
  if (!title) throw taskError('Не указано название задачи');
  const responsibleId = asInt(fields.RESPONSIBLE_ID);
  if (!responsibleId || !ctx.state.data.users.has(responsibleId)) throw taskError('Не указан ответственный');
  const data = ctx.state.data;
  const now = ctx.now();
  const createdBy = asInt(fields.CREATED_BY) ?? callerId;
  const task: TaskRecord = {
    id: nextId(data, 'task'), title, description: asString(fields.DESCRIPTION) ?? '', status: 2,
    priority: asInt(fields.PRIORITY) ?? 1, createdBy, responsibleId,
    auditors: asIntList(fields.AUDITORS), accomplices: asIntList(fields.ACCOMPLICES), groupId: asInt(fields.GROUP_ID) ?? 0,
    deadline: asString(fields.DEADLINE) ?? null, createdDate: now, changedDate: now, changedBy: createdBy,
    statusChangedBy: null, statusChangedDate: now, closedBy: null, closedDate: null, chatId: 0,
    userFields: pickUserFields(fields),
  };
  const chat = createChat(ctx, {
    type: 'chat', title, ownerId: createdBy, memberIds: taskMembers(task), entityType: 'TASKS_TASK', entityId: String(task.id),
  });
  task.chatId = chat.id;
  data.tasks.set(task.id, task);
  touch(ctx);
  fireAppEvent(ctx, 'ONTASKADD', taskAddData(task.id), callerId);
  return task;
}

export function updateTask(ctx: PortalContext, task: TaskRecord, fields: Record<string, unknown>, callerId: number): TaskRecord {
  const now = ctx.now();
  const status = asInt(fields.STATUS);
  if (status !== undefined && status !== task.status) setStatus(task, status, callerId, now);
  const title = asString(fields.TITLE);
  if (title !== undefined && title.trim()) task.title = title.trim();
  if (fields.DESCRIPTION !== undefined) task.description = asString(fields.DESCRIPTION) ?? '';
  const responsibleId = asInt(fields.RESPONSIBLE_ID);
  if (responsibleId !== undefined) task.responsibleId = responsibleId;
  if (fields.AUDITORS !== undefined) task.auditors = asIntList(fields.AUDITORS);
  if (fields.ACCOMPLICES !== undefined) task.accomplices = asIntList(fields.ACCOMPLICES);
  if (fields.DEADLINE !== undefined) task.deadline = asString(fields.DEADLINE) || null;
  const priority = asInt(fields.PRIORITY);
  if (priority !== undefined) task.priority = priority;
  Object.assign(task.userFields, pickUserFields(fields));
  task.changedBy = callerId;
  task.changedDate = now;
  const chat = ctx.state.data.chats.get(task.chatId);
  if (chat) addMembers(ctx, chat, taskMembers(task));
  touch(ctx);
  fireAppEvent(ctx, 'ONTASKUPDATE', taskUpdateData(task.id), callerId);
  return task;
}

function setStatus(task: TaskRecord, status: number, callerId: number, now: number): void {
  task.status = status;
  task.statusChangedBy = callerId;
  task.statusChangedDate = now;
  task.closedBy = status === TASK_COMPLETED ? callerId : null;
  task.closedDate = status === TASK_COMPLETED ? now : null;
}

function pickUserFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => /^UF_/i.test(k)).map(([k, v]) => [k.toUpperCase(), v]));
}

/** A comment in the new card is a message in the task chat, announced as ONTASKCOMMENTADD. */
export function addTaskComment(ctx: PortalContext, task: TaskRecord, authorId: number, text: string): MessageRecord {
  const chat = ctx.state.data.chats.get(task.chatId);
  if (!chat) throw taskError('Чат задачи не найден');
  if (!chat.memberIds.includes(authorId)) addMembers(ctx, chat, [authorId]);
  const message = postMessage(ctx, chat, { authorId, text });
  fireAppEvent(ctx, 'ONTASKCOMMENTADD', taskCommentAddData(task.id, message.id), authorId);
  return message;
}

/** Whether a chat is some task's chat; comments written into it count as task comments. */
export function taskOfChat(ctx: PortalContext, chatId: number): TaskRecord | undefined {
  for (const task of ctx.state.data.tasks.values()) if (task.chatId === chatId) return task;
  return undefined;
}
