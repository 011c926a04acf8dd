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

// The thread and the history as JSON beside the ticket's row: one statement, one round trip
// (on a busy machine every further trip between the web process and the database waits for
// a core again). Timestamps come back as text and are put in ISO form below.
const THREAD_SQL = `(select coalesce(json_agg(json_build_object('id', m.id, 'direction', m.direction, 'from_name', m.from_name,
    'from_address', m.from_address, 'body_text', m.body_text, 'has_html', m.body_html is not null, 'attachments', m.attachments,
    'created_at', m.created_at) order by m.id), '[]')
  from messages m where m.ticket_id = t.id and m.direction in ('in', 'out') and not (m.direction = 'in' and m.auto_kind is not null)) as thread`;
const HISTORY_SQL = `(select coalesce(json_agg(json_build_object('at', a.created_at,
    'status', case when a.action = 'created' then 'new' else a.details->>'to' end) order by a.id), '[]')
  from audit_log a where a.ticket_id = t.id and (a.action = 'created' or a.details ? 'to')) as history`;

interface ThreadRow { id: number; direction: string; from_name: string | null; from_address: string | null; body_text: string | null;
  has_html: boolean; attachments: AttachmentMeta[]; created_at: string }

/**
 * A ticket as its client sees it: the mails both ways (never internal notes, never mail we
 * have not written yet), their attachments, and the status history from the audit trail.
 */
export async function getClientTicket(sql: Sql, scope: TicketScope, number: number): Promise<TicketDetail> {
  const params: unknown[] = [number];
  const [row] = await sql.query(`select ${TICKET_ROW_SQL}, ${THREAD_SQL}, ${HISTORY_SQL}
    from tickets t where t.number = $1 and ${scopeSql(scope, params)}`, params);
  if (!row) throw new NotFoundError(`ticket ${number}`);
  const iso = (at: string) => new Date(at).toISOString();
  return {
    ticket: rowToTicketRow(row),
    messages: (row.thread as ThreadRow[]).map((m) => ({
      id: m.id,
      from: m.direction === 'in' ? 'client' as const : 'support' as const,
      authorName: m.direction === 'in' ? m.from_name : null,
      authorEmail: m.direction === 'in' ? m.from_address : null,
      at: iso(m.created_at),
      text: m.body_text ?? '',
      hasHtml: m.has_html,
      attachments: m.attachments.map((a, index) => ({ index, filename: a.filename, size: a.size, downloadable: Boolean(a.sha256) })),
    })),
    history: (row.history as Array<{ at: string; status: string }>).map((h) => ({
      at: iso(h.at), status: h.status as TicketDetail['history'][number]['status'],
    })),
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
