import type { Sql } from '../../tickets/store/db.js';
import type { AttachmentMeta } from '../../tickets/types.js';
import type { TicketDetail } from '../api-schemas.js';
import { NotFoundError } from '../portal-errors.js';
import { rowToTicketRow, TICKET_ROW_SQL } from './list-client-tickets.js';
import { scopeSql, type TicketScope } from './ticket-scope.js';

/** The ticket's row id behind a number, only within the person's scope: anything else is "not found". */
export async function findScopedTicket(sql: Sql, scope: TicketScope, number: number): Promise<{ id: number; row: Record<string, unknown> }> {
  const params: unknown[] = [number];
  const [row] = await sql.query(`select t.id, ${TICKET_ROW_SQL} from tickets t where t.number = $1 and ${scopeSql(scope, params)}`, params);
  if (!row) throw new NotFoundError(`ticket ${number}`);
  return { id: row.id as number, row };
}

/**
 * A ticket as its client sees it: the mails both ways (never internal notes, never mail we
 * have not written yet), their attachments, and the status history from the audit trail.
 */
export async function getClientTicket(sql: Sql, scope: TicketScope, number: number): Promise<TicketDetail> {
  const t = await findScopedTicket(sql, scope, number);
  // The thread and the history at once, on two pooled connections.
  const [messages, history] = await Promise.all([sql.query<Record<string, unknown>>(`select id, direction, from_name, from_address, body_text, body_html is not null as has_html, attachments, created_at
    from messages where ticket_id = $1 and direction in ('in', 'out') and not (direction = 'in' and auto_kind is not null)
    order by id`, [t.id]),
  sql.query<{ at: Date; status: string }>(`select created_at as at, case when action = 'created' then 'new'
      else details->>'to' end as status
    from audit_log where ticket_id = $1 and (action = 'created' or details ? 'to') order by id`, [t.id])]);
  return {
    ticket: rowToTicketRow(t.row),
    messages: messages.map((m) => ({
      id: m.id as number,
      from: m.direction === 'in' ? 'client' as const : 'support' as const,
      authorName: m.direction === 'in' ? m.from_name as string | null : null,
      authorEmail: m.direction === 'in' ? m.from_address as string | null : null,
      at: (m.created_at as Date).toISOString(),
      text: (m.body_text as string | null) ?? '',
      hasHtml: m.has_html as boolean,
      attachments: (m.attachments as AttachmentMeta[]).map((a, index) => ({ index, filename: a.filename, size: a.size, downloadable: Boolean(a.sha256) })),
    })),
    history: history.map((h) => ({ at: h.at.toISOString(), status: h.status as TicketDetail['history'][number]['status'] })),
  };
}

/** One stored attachment of a message of a ticket in scope: its metadata, or "not found". */
export async function findScopedAttachment(sql: Sql, scope: TicketScope, number: number, messageId: number, index: number): Promise<AttachmentMeta> {
  const t = await findScopedTicket(sql, scope, number);
  const [m] = await sql.query<{ attachments: AttachmentMeta[] }>(
    `select attachments from messages where id = $1 and ticket_id = $2 and direction in ('in', 'out')`, [messageId, t.id]);
  const a = m?.attachments[index];
  if (!a || !a.sha256) throw new NotFoundError('attachment');
  return a;
}

/** The stored (sanitized) HTML of a message of a ticket in scope, or "not found". */
export async function findScopedMessageHtml(sql: Sql, scope: TicketScope, number: number, messageId: number): Promise<string> {
  const t = await findScopedTicket(sql, scope, number);
  const [m] = await sql.query<{ body_html: string | null }>(
    `select body_html from messages where id = $1 and ticket_id = $2 and direction in ('in', 'out')`, [messageId, t.id]);
  if (!m?.body_html) throw new NotFoundError('message html');
  return m.body_html;
}
