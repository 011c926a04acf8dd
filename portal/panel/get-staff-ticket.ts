import type { Sql } from '../../tickets/store/db.js';
import type { AttachmentMeta } from '../../tickets/types.js';
import { NotFoundError } from '../portal-errors.js';
import type { StaffTicket, ThreadEntry } from './panel-schemas.js';
import { staffScopeSql, type Staff } from './staff-rights.js';

const REPLYABLE = ['assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved'];
const CLOSABLE = ['assigned', 'in_progress', 'escalated', 'awaiting_time'];

/** The ticket behind a number if this person may see it; otherwise "not found" (the two are not told apart). */
export async function findStaffTicket(sql: Sql, staff: Staff, number: number): Promise<Record<string, unknown>> {
  const params: unknown[] = [number];
  const [row] = await sql.query(`select t.*, c.company, e.name as assignee_name, d.name as department_name
      from tickets t left join clients c on c.id = t.client_id left join employees e on e.id = t.assignee_id
      left join departments d on d.id = t.department_id
     where t.number = $1 and ${staffScopeSql(staff, params)}`, params);
  if (!row) throw new NotFoundError(`ticket ${number}`);
  return row;
}

function threadKind(m: Record<string, unknown>, developers: Set<number>): ThreadEntry['kind'] {
  if (m.direction === 'in') return 'client';
  if (m.direction === 'note') return developers.has(Number(m.author_employee_id)) ? 'developer' : 'note';
  return m.kind === 'ack' || m.kind === 'resolved' ? m.kind : 'reply';
}

/**
 * Everything about a ticket for staff: the whole thread (client mail, our mail, internal notes,
 * developers' comments from escalation tasks, each marked), attachments, the audit trail, and
 * what this person may do now.
 */
export async function getStaffTicket(sql: Sql, staff: Staff, number: number): Promise<StaffTicket> {
  const t = await findStaffTicket(sql, staff, number);
  const id = t.id as number;
  const [messages, developers, audit, [time]] = await Promise.all([
    sql.query(`select m.*, e.name as author_name from messages m left join employees e on e.id = m.author_employee_id
      where m.ticket_id = $1 order by m.id`, [id]),
    sql.query<{ developer_id: number }>('select developer_id from escalations where ticket_id = $1', [id]),
    sql.query(`select a.created_at, a.action, a.actor, a.channel, a.details, e.name from audit_log a
      left join employees e on a.actor = 'employee:' || e.id where a.ticket_id = $1 order by a.id`, [id]),
    sql.query<{ minutes: number }>('select coalesce(sum(minutes), 0)::int as minutes from time_entries where ticket_id = $1', [id]),
  ]);
  const devs = new Set(developers.map((d) => Number(d.developer_id)));
  const mine = Number(t.assignee_id) === staff.employee.id;
  const status = t.status as string;
  return {
    number: Number(t.number), status, subject: t.subject as string,
    client: t.client_id ? { id: Number(t.client_id), company: t.company as string } : null,
    requester: t.requester_email ? `${t.requester_name ? `${t.requester_name as string} ` : ''}<${t.requester_email as string}>` : null,
    assignee: t.assignee_id ? { id: Number(t.assignee_id), name: t.assignee_name as string } : null,
    department: (t.department_name as string | null) ?? null,
    createdAt: (t.created_at as Date).toISOString(), minutes: time.minutes,
    thread: messages.map((m) => ({
      id: m.id as number, kind: threadKind(m, devs),
      author: m.direction === 'in' ? ((m.from_name as string | null) ?? (m.from_address as string | null)) : (m.author_name as string | null) ?? null,
      at: (m.created_at as Date).toISOString(), text: (m.body_text as string | null) ?? '', sendState: (m.send_state as string | null) ?? null,
      attachments: (m.attachments as AttachmentMeta[]).map((a, index) => ({ index, filename: a.filename, size: a.size, downloadable: Boolean(a.sha256) })),
    })),
    history: audit.map((a) => ({
      at: (a.created_at as Date).toISOString(), action: a.action as string, channel: a.channel as string,
      actor: (a.name as string | null) ?? (a.actor as string), details: (a.details as Record<string, unknown>) ?? {},
    })),
    can: {
      reply: mine && REPLYABLE.includes(status) && Boolean(t.requester_email),
      note: status !== 'merged',
      accept: mine && status === 'assigned',
      close: mine && CLOSABLE.includes(status),
      escalate: mine && (status === 'assigned' || status === 'in_progress'),
      assign: status === 'new' || (['assigned', 'in_progress', 'escalated'].includes(status) && (mine || staff.admin)),
    },
  };
}

/** One stored attachment of a message of a ticket this person may see. */
export async function findStaffAttachment(sql: Sql, staff: Staff, number: number, messageId: number, index: number): Promise<AttachmentMeta> {
  const t = await findStaffTicket(sql, staff, number);
  const [m] = await sql.query<{ attachments: AttachmentMeta[] }>('select attachments from messages where id = $1 and ticket_id = $2', [messageId, t.id]);
  const a = m?.attachments[index];
  if (!a?.sha256) throw new NotFoundError('attachment');
  return a;
}
