import type { Sql } from './db.js';
import type { Actor, Channel, Ticket } from '../types.js';
import { nextStatus, STAGE_COLUMN, type TicketEvent, type TicketStatus } from '../ticket-status.js';
import { TicketNotFoundError } from '../errors.js';
import { recordAudit } from './audit-repo.js';

type Row = Record<string, unknown>;

export function rowToTicket(r: Row): Ticket {
  return {
    id: r.id as number,
    number: r.number as number,
    status: r.status as TicketStatus,
    clientId: (r.client_id as number | null) ?? null,
    requesterEmail: (r.requester_email as string | null) ?? null,
    requesterName: (r.requester_name as string | null) ?? null,
    subject: r.subject as string,
    unparsed: r.unparsed as boolean,
    departmentId: (r.department_id as number | null) ?? null,
    assigneeId: (r.assignee_id as number | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    assignedAt: (r.assigned_at as Date | null) ?? null,
    acceptedAt: (r.accepted_at as Date | null) ?? null,
    escalatedAt: (r.escalated_at as Date | null) ?? null,
    closedAt: (r.closed_at as Date | null) ?? null,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
    reopenedAt: (r.reopened_at as Date | null) ?? null,
    mergedInto: (r.merged_into as number | null) ?? null,
  };
}

export interface NewTicket {
  clientId: number | null;
  requesterEmail: string | null;
  requesterName: string | null;
  subject: string;
  unparsed: boolean;
}

export async function insertTicket(sql: Sql, t: NewTicket, now: Date): Promise<Ticket> {
  const [row] = await sql.query(
    `insert into tickets (status, client_id, requester_email, requester_name, subject, unparsed, created_at, updated_at)
     values ('new', $1, $2, $3, $4, $5, $6, $6) returning *`,
    [t.clientId, t.requesterEmail, t.requesterName, t.subject, t.unparsed, now],
  );
  return rowToTicket(row);
}

export async function findTicketByNumber(sql: Sql, number: number): Promise<Ticket | null> {
  const [row] = await sql.query('select * from tickets where number = $1', [number]);
  return row ? rowToTicket(row) : null;
}

export async function getTicket(sql: Sql, id: number, opts: { forUpdate?: boolean } = {}): Promise<Ticket> {
  const [row] = await sql.query(`select * from tickets where id = $1${opts.forUpdate ? ' for update' : ''}`, [id]);
  if (!row) throw new TicketNotFoundError(id);
  return rowToTicket(row);
}

export interface TransitionInput {
  event: TicketEvent;
  actor: Actor;
  channel: Channel;
  at: Date;
  /** Extra columns to set with the transition (e.g. assignee_id for assign). */
  set?: { assigneeId?: number | null; departmentId?: number | null; mergedInto?: number };
  details?: Record<string, unknown>;
}

/**
 * Moves a ticket through the status machine under a row lock and writes the audit entry.
 * Illegal transitions throw IllegalTransitionError and change nothing.
 */
export async function transitionTicket(sql: Sql, ticketId: number, input: TransitionInput): Promise<Ticket> {
  const current = await getTicket(sql, ticketId, { forUpdate: true });
  const status = nextStatus(current.status, input.event);
  const sets = ['status = $2', 'updated_at = $3'];
  const params: unknown[] = [ticketId, status, input.at];
  const stage = STAGE_COLUMN[input.event];
  if (stage) sets.push(`${stage} = $3`);
  if (input.set && 'assigneeId' in input.set) { params.push(input.set.assigneeId); sets.push(`assignee_id = $${params.length}`); }
  if (input.set && 'departmentId' in input.set) { params.push(input.set.departmentId); sets.push(`department_id = $${params.length}`); }
  if (input.set?.mergedInto !== undefined) { params.push(input.set.mergedInto); sets.push(`merged_into = $${params.length}, merge_pending = true`); }
  const [row] = await sql.query(`update tickets set ${sets.join(', ')} where id = $1 returning *`, params);
  await recordAudit(sql, {
    ticketId, actor: input.actor, channel: input.channel, action: input.event, at: input.at,
    details: { from: current.status, to: status, ...input.details },
  });
  return rowToTicket(row);
}

