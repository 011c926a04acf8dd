import crypto from 'node:crypto';
import type { B24Port } from './b24-port.js';

export interface TaskSummary {
  id: number;
  title: string;
  /** reference §4: 2 pending, 3 in progress, 4 awaiting control, 5 completed, 6 deferred. */
  status: number;
  responsibleId: number;
  /** The task's chat (comments live there in the new task card). */
  chatId: number | null;
}

export const TASK_COMPLETED = 5;

type TaskRow = { id: string | number; title: string; status: string | number; responsibleId: string | number; chatId?: string | number | null };

// reference §4: ids come as strings, chatId sometimes as a number; accept both.
const toSummary = (t: TaskRow): TaskSummary => ({
  id: Number(t.id), title: t.title, status: Number(t.status), responsibleId: Number(t.responsibleId),
  chatId: t.chatId === undefined || t.chatId === null || t.chatId === '' ? null : Number(t.chatId),
});

export interface NewTask {
  title: string;
  description: string;
  responsibleId: number;
  auditors: number[];
}

/** Room for the marker inside a task title (the portal keeps 255 characters). */
const TITLE_MAX = 240;

/** The mark a task carries in its title for the call that made it: "(ref 3f9a1c2b)", no LIKE wildcards. */
export function taskMarker(key: string): string {
  return `(ref ${crypto.createHash('sha1').update(key).digest('hex').slice(0, 8)})`;
}

/**
 * Creates a task once per `key`. The call queue keeps the answer of a call made under a key,
 * but in Redis: after Redis came back empty, a retried creation would make a second task. So
 * the title carries a marker derived from the key, and the portal is asked first
 * (tasks.task.list, TITLE "can be searched by a pattern [%_]", tasks-task-list.md) whether a
 * task of this developer already carries it.
 */
export async function addTask(b24: B24Port, t: NewTask, key: string): Promise<TaskSummary> {
  const marker = taskMarker(key);
  const found = await findTaskByMarker(b24, marker, t.responsibleId);
  if (found) return getTask(b24, found);
  const room = TITLE_MAX - marker.length - 1;
  const title = `${t.title.length > room ? `${t.title.slice(0, room - 1)}…` : t.title} ${marker}`;
  const { result } = await b24.call<{ task: TaskRow }>('tasks.task.add', {
    fields: { TITLE: title, DESCRIPTION: t.description, RESPONSIBLE_ID: t.responsibleId, AUDITORS: t.auditors },
  }, key);
  // The documented answer of tasks.task.add (tasks-task-add.md) is the task without chatId; only
  // tasks.task.get shows it (tasks-new.md). Read it back only when the answer lacks it.
  if (result.task.chatId !== undefined && result.task.chatId !== null && result.task.chatId !== '') return toSummary(result.task);
  return getTask(b24, Number(result.task.id));
}

async function findTaskByMarker(b24: B24Port, marker: string, responsibleId: number): Promise<number | null> {
  const { result } = await b24.call<{ tasks: Array<{ id: string | number }> }>('tasks.task.list', {
    filter: { TITLE: `%${marker}%`, RESPONSIBLE_ID: responsibleId }, select: ['ID'],
  });
  const first = (result.tasks ?? [])[0];
  return first ? Number(first.id) : null;
}

export async function getTask(b24: B24Port, taskId: number): Promise<TaskSummary> {
  const { result } = await b24.call<{ task: TaskRow }>('tasks.task.get', { taskId });
  return toSummary(result.task);
}

export async function updateTask(b24: B24Port, taskId: number, fields: Record<string, unknown>, key: string): Promise<void> {
  await b24.call('tasks.task.update', { taskId, fields }, key);
}

export interface ChatMessage {
  id: number;
  authorId: number;
  text: string;
}

/** Messages of a chat newer than `afterId`, oldest first (reference §3: FIRST_ID reads newer). */
export async function readChat(b24: B24Port, chatId: number, afterId = 0): Promise<ChatMessage[]> {
  const { result } = await b24.call<{ messages: Array<{ id: number | string; author_id: number | string; text: string }> }>(
    'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: afterId, LIMIT: 50 });
  return result.messages.map((m) => ({ id: Number(m.id), authorId: Number(m.author_id), text: m.text }))
    .filter((m) => m.id > afterId).sort((a, b) => a.id - b.id);
}

export interface AuthoredMessage extends ChatMessage {
  /** Null for a system message (author 0). */
  author: { b24Id: number; name: string; isBot: boolean } | null;
}

/** One message of a chat by id, with its author as the answer's `users` list names them (reference §3). */
export async function readChatMessage(b24: B24Port, chatId: number, messageId: number): Promise<AuthoredMessage | null> {
  const { result } = await b24.call<{
    messages: Array<{ id: number | string; author_id: number | string; text: string }>;
    users?: Array<{ id: number | string; name?: string; first_name?: string; last_name?: string; bot?: boolean | string }>;
  }>('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: messageId - 1, LIMIT: 1 });
  const m = result.messages.find((row) => Number(row.id) === messageId);
  if (!m) return null;
  const u = (result.users ?? []).find((row) => Number(row.id) === Number(m.author_id));
  const author = u ? {
    b24Id: Number(u.id), name: u.name || [u.first_name, u.last_name].filter(Boolean).join(' '), isBot: u.bot === true || u.bot === 'Y',
  } : null;
  return { id: messageId, authorId: Number(m.author_id), text: m.text, author };
}
