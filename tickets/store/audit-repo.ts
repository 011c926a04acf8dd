import type { Sql } from './db.js';
import type { Actor, Channel } from '../types.js';

export interface AuditEntry {
  ticketId: number | null;
  actor: Actor;
  channel: Channel;
  action: string;
  at: Date;
  details?: Record<string, unknown>;
}

export async function recordAudit(sql: Sql, e: AuditEntry): Promise<void> {
  await sql.query(
    'insert into audit_log (ticket_id, actor, action, channel, details, created_at) values ($1, $2, $3, $4, $5, $6)',
    [e.ticketId, e.actor, e.action, e.channel, JSON.stringify(e.details ?? {}), e.at],
  );
}

export async function listAudit(sql: Sql, ticketId: number): Promise<Array<Omit<AuditEntry, 'ticketId'>>> {
  const rows = await sql.query<Record<string, unknown>>(
    'select actor, action, channel, details, created_at from audit_log where ticket_id = $1 order by id', [ticketId]);
  return rows.map((r) => ({
    actor: r.actor as AuditEntry['actor'], action: r.action as string, channel: r.channel as AuditEntry['channel'],
    details: r.details as Record<string, unknown>, at: r.created_at as Date,
  }));
}
