import type { Sql } from './db.js';

export interface Escalation {
  id: number;
  ticketId: number;
  taskId: number;
  chatId: number | null;
  developerId: number;
  specialistId: number;
  completedAt: Date | null;
}

const toEscalation = (r: Record<string, unknown>): Escalation => ({
  id: r.id as number, ticketId: r.ticket_id as number, taskId: Number(r.task_id), chatId: r.chat_id === null ? null : Number(r.chat_id),
  developerId: r.developer_id as number, specialistId: r.specialist_id as number, completedAt: (r.completed_at as Date | null) ?? null,
});

export async function recordEscalation(sql: Sql, e: { ticketId: number; taskId: number; chatId: number | null; developerId: number; specialistId: number; at: Date }): Promise<void> {
  await sql.query(
    `insert into escalations (ticket_id, task_id, chat_id, developer_id, specialist_id, created_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (task_id) do nothing`, [e.ticketId, e.taskId, e.chatId, e.developerId, e.specialistId, e.at]);
}

export async function findEscalationByChat(sql: Sql, chatId: number): Promise<Escalation | null> {
  const [row] = await sql.query('select * from escalations where chat_id = $1', [chatId]);
  return row ? toEscalation(row) : null;
}

export async function findEscalationByTask(sql: Sql, taskId: number): Promise<Escalation | null> {
  const [row] = await sql.query('select * from escalations where task_id = $1', [taskId]);
  return row ? toEscalation(row) : null;
}

/** Open escalations, oldest first; only the one of `taskId` when given. */
export async function listOpenEscalations(sql: Sql, taskId?: number, limit = 200): Promise<Escalation[]> {
  return (await sql.query(`select * from escalations where completed_at is null and ($2::bigint is null or task_id = $2)
    order by id limit $1`, [limit, taskId ?? null])).map(toEscalation);
}

/** Marks a task done once; false if it was already. */
export async function completeEscalation(sql: Sql, id: number, at: Date): Promise<boolean> {
  return (await sql.query('update escalations set completed_at = $2 where id = $1 and completed_at is null returning id', [id, at])).length > 0;
}
