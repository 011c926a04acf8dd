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
 * The ticket with its thread, escalations' developers, audit trail and time in one statement:
 * the page is opened often and each round trip costs a parse and a plan (the parts come as JSON).
 */
async function loadStaffTicket(sql: Sql, staff: Staff, number: number): Promise<Record<string, unknown>> {
  const params: unknown[] = [number];
  const [row] = await sql.query(`select t.number, t.status, t.subject, t.client_id, t.requester_email, t.requester_name, t.assignee_id,
        t.created_at, c.company, e.name as assignee_name, d.name as department_name,
        (select coalesce(json_agg(json_build_object('id', m.id, 'direction', m.direction, 'kind', m.kind, 'author_employee_id', m.author_employee_id,
                  'from_name', m.from_name, 'from_address', m.from_address, 'author_name', a.name, 'created_at', m.created_at,
                  'body_text', m.body_text, 'send_state', m.send_state, 'attachments', m.attachments) order by m.id), '[]')
           from messages m left join employees a on a.id = m.author_employee_id where m.ticket_id = t.id) as thread,
        (select coalesce(json_agg(developer_id), '[]') from escalations where ticket_id = t.id) as developers,
        (select coalesce(json_agg(json_build_object('created_at', a.created_at, 'action', a.action, 'actor', a.actor, 'channel', a.channel,
                  'details', a.details, 'name', ae.name) order by a.id), '[]')
           from audit_log a left join employees ae on a.actor = 'employee:' || ae.id where a.ticket_id = t.id) as audit,
        (select coalesce(sum(minutes), 0)::int from time_entries where ticket_id = t.id) as minutes
      from tickets t left join clients c on c.id = t.client_id left join employees e on e.id = t.assignee_id
      left join departments d on d.id = t.department_id
     where t.number = $1 and ${staffScopeSql(staff, params)}`, params);
  if (!row) throw new NotFoundError(`ticket ${number}`);
  return row;
}

/** A timestamp of the JSON parts (PostgreSQL's text form) as the API gives every time. */
const isoOf = (v: unknown) => new Date(v as string).toISOString();

/**
 * Everything about a ticket for staff: the whole thread (client mail, our mail, internal notes,
 * developers' comments from escalation tasks, each marked), attachments, the audit trail, and
 * what this person may do now.
 */
export async function getStaffTicket(sql: Sql, staff: Staff, number: number): Promise<StaffTicket> {
  const t = await loadStaffTicket(sql, staff, number);
  const messages = t.thread as Array<Record<string, unknown>>;
  const audit = t.audit as Array<Record<string, unknown>>;
  const devs = new Set((t.developers as unknown[]).map(Number));
  const mine = Number(t.assignee_id) === staff.employee.id;
  const status = t.status as string;
  return {
    number: Number(t.number), status, subject: t.subject as string,
    client: t.client_id ? { id: Number(t.client_id), company: t.company as string } : null,
    requester: t.requester_email ? `${t.requester_name ? `${t.requester_name as string} ` : ''}<${t.requester_email as string}>` : null,
    assignee: t.assignee_id ? { id: Number(t.assignee_id), name: t.assignee_name as string } : null,
    department: (t.department_name as string | null) ?? null,
    createdAt: (t.created_at as Date).toISOString(), minutes: Number(t.minutes),
    thread: messages.map((m) => ({
      id: m.id as number, kind: threadKind(m, devs),
      author: m.direction === 'in' ? ((m.from_name as string | null) ?? (m.from_address as string | null)) : (m.author_name as string | null) ?? null,
      at: isoOf(m.created_at), text: (m.body_text as string | null) ?? '', sendState: (m.send_state as string | null) ?? null,
      attachments: ((m.attachments as AttachmentMeta[] | null) ?? []).map((a, index) => ({ index, filename: a.filename, size: a.size, downloadable: Boolean(a.sha256) })),
    })),
    history: audit.map((a) => ({
      at: isoOf(a.created_at), action: a.action as string, channel: a.channel as string,
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
