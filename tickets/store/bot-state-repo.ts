import type { Sql } from './db.js';

/** The bot's durable state (migration 004): its cards, conversations, applied events, reminders. */

export type PostRole = 'dispatch' | 'specialist';

/** The step a dispatch card is on (029): a department's people, the reasons; null, the departments. */
export type PostView = { department: number } | { reasons: true } | null;

export interface BotPost {
  ticketId: number;
  role: PostRole;
  dialogId: string;
  messageId: number | null;
  view: PostView;
}

const toPost = (r: Record<string, unknown>): BotPost => ({
  ticketId: r.ticket_id as number, role: r.role as PostRole, dialogId: r.dialog_id as string, messageId: (r.message_id as number | null) ?? null,
  view: (r.view as PostView) ?? null,
});

/** `forUpdate`: held until the transaction ends, so a redraw and a click on the card take turns. */
export async function getPost(sql: Sql, ticketId: number, role: PostRole, opts: { forUpdate?: boolean } = {}): Promise<BotPost | null> {
  const [row] = await sql.query(`select * from bot_posts where ticket_id = $1 and role = $2${opts.forUpdate ? ' for update' : ''}`, [ticketId, role]);
  return row ? toPost(row) : null;
}

export async function setPostView(sql: Sql, ticketId: number, role: PostRole, view: PostView): Promise<void> {
  await sql.query('update bot_posts set view = $3 where ticket_id = $1 and role = $2', [ticketId, role, view === null ? null : JSON.stringify(view)]);
}

/** Which of our cards a message is: clicks edit the message they came from. */
export async function findPostByMessage(sql: Sql, messageId: number): Promise<BotPost | null> {
  const [row] = await sql.query('select * from bot_posts where message_id = $1', [messageId]);
  return row ? toPost(row) : null;
}

/** Claims the card slot before posting; a new dialog (reassignment) starts a new card. */
export async function reservePost(sql: Sql, ticketId: number, role: PostRole, dialogId: string): Promise<void> {
  await sql.query(
    `insert into bot_posts (ticket_id, role, dialog_id) values ($1, $2, $3)
     on conflict (ticket_id, role) do update set dialog_id = excluded.dialog_id, message_id = null, view = null`, [ticketId, role, dialogId]);
}

export async function setPostMessage(sql: Sql, ticketId: number, role: PostRole, dialogId: string, messageId: number): Promise<void> {
  await sql.query('update bot_posts set message_id = $4 where ticket_id = $1 and role = $2 and dialog_id = $3', [ticketId, role, dialogId, messageId]);
}

/**
 * A dispatch dialog the portal lost: its cards and its reminder are forgotten, so the open
 * tickets are posted again wherever dispatch now happens, even when a portal that started over
 * gives the new chat the old one's id.
 */
export async function forgetDispatchDialog(sql: Sql, dialogId: string): Promise<void> {
  await sql.query(`update bot_posts set dialog_id = $2, message_id = null, view = null where role = 'dispatch' and dialog_id = $1`, [dialogId, `${dialogId} (gone)`]);
  await sql.query(`delete from bot_reminders where kind = 'unassigned' and dialog_id = $1`, [dialogId]);
}

export type ConversationMode = 'reply' | 'time';

export async function getConversation(sql: Sql, b24UserId: number): Promise<{ mode: ConversationMode; ticketId: number } | null> {
  const [row] = await sql.query<{ mode: ConversationMode; ticket_id: number }>('select mode, ticket_id from bot_conversations where b24_user_id = $1', [String(b24UserId)]);
  return row ? { mode: row.mode, ticketId: row.ticket_id } : null;
}

export async function setConversation(sql: Sql, b24UserId: number, mode: ConversationMode, ticketId: number, at: Date): Promise<void> {
  await sql.query(
    `insert into bot_conversations (b24_user_id, mode, ticket_id, started_at) values ($1, $2, $3, $4)
     on conflict (b24_user_id) do update set mode = excluded.mode, ticket_id = excluded.ticket_id, started_at = excluded.started_at,
       prompt_message_id = null`,
    [String(b24UserId), mode, ticketId, at]);
}

/** The posted prompt of the conversation started at `startedAt` (not of a newer one). */
export async function setConversationPrompt(sql: Sql, b24UserId: number, startedAt: Date, messageId: number): Promise<void> {
  await sql.query('update bot_conversations set prompt_message_id = $3 where b24_user_id = $1 and started_at = $2',
    [String(b24UserId), startedAt, messageId]);
}

/** Ends the person's conversation; says what it was, so its prompt can be updated. */
export async function clearConversation(sql: Sql, b24UserId: number): Promise<{ mode: ConversationMode; ticketId: number; promptMessageId: number | null } | null> {
  const [row] = await sql.query<{ mode: ConversationMode; ticket_id: number; prompt_message_id: number | null }>(
    'delete from bot_conversations where b24_user_id = $1 returning mode, ticket_id, prompt_message_id', [String(b24UserId)]);
  return row ? { mode: row.mode, ticketId: Number(row.ticket_id), promptMessageId: row.prompt_message_id === null ? null : Number(row.prompt_message_id) } : null;
}

export type ReminderKind = 'unassigned' | 'missing_time';

export interface Reminder {
  kind: ReminderKind;
  dialogId: string;
  messageId: number | null;
  sentAt: Date;
}

/** The latest reminder, locked: two rounds at once (two worker processes) cannot both send. */
export async function lockReminder(sql: Sql, kind: ReminderKind, dialogId: string): Promise<Reminder | null> {
  await sql.query(`insert into bot_reminders (kind, dialog_id, sent_at) values ($1, $2, 'epoch') on conflict do nothing`, [kind, dialogId]);
  const [row] = await sql.query('select * from bot_reminders where kind = $1 and dialog_id = $2 for update', [kind, dialogId]);
  return { kind, dialogId, messageId: (row.message_id as number | null) ?? null, sentAt: row.sent_at as Date };
}

export async function markReminderSent(sql: Sql, kind: ReminderKind, dialogId: string, sentAt: Date): Promise<void> {
  await sql.query('update bot_reminders set sent_at = $3, message_id = null where kind = $1 and dialog_id = $2', [kind, dialogId, sentAt]);
}

export async function setReminderMessage(sql: Sql, kind: ReminderKind, dialogId: string, sentAt: Date, messageId: number): Promise<void> {
  await sql.query('update bot_reminders set message_id = $4 where kind = $1 and dialog_id = $2 and sent_at = $3', [kind, dialogId, sentAt, messageId]);
}

export async function findReminderByMessage(sql: Sql, messageId: number): Promise<Reminder | null> {
  const [row] = await sql.query('select * from bot_reminders where message_id = $1', [messageId]);
  return row ? { kind: row.kind as ReminderKind, dialogId: row.dialog_id as string, messageId, sentAt: row.sent_at as Date } : null;
}

/** A reminder someone is using counts as sent now: the next round waits a whole interval from here. */
export async function touchReminder(sql: Sql, messageId: number, at: Date): Promise<void> {
  await sql.query('update bot_reminders set sent_at = greatest(sent_at, $2) where message_id = $1', [messageId, at]);
}
