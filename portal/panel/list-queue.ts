import type { Sql } from '../../tickets/store/db.js';
import type { QueuePage, QueueQuery, QueueRow } from './panel-schemas.js';
import { staffScopeSql, type Staff } from './staff-rights.js';

// Written out, not parameters: the planner then sees they match the partial indexes of migration 016.
const OPEN_SQL = "t.status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time')";
const CLOSED_SQL = "t.status in ('resolved', 'rejected')";
/** Counting a million rows for a pager nobody pages to the end of is waste: the count stops here. */
export const TOTAL_CAP = 10_000;

const ORDER: Record<QueueQuery['sort'], string> = {
  oldest: 't.created_at, t.id',
  newest: 't.created_at desc, t.id desc',
  activity: 't.updated_at desc, t.id desc',
};

/** The queue's filters as one SQL condition (parameters appended). */
function whereSql(staff: Staff, q: QueueQuery, params: unknown[]): string {
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const parts = [staffScopeSql(staff, params), "t.status <> 'merged'"];
  if (q.view === 'mine') parts.push(`t.assignee_id = ${p(staff.employee.id)}`);
  if (q.view === 'unassigned') parts.push('t.assignee_id is null');
  if (q.view === 'department') parts.push(staff.employee.departmentId === null ? 'false' : `t.department_id = ${p(staff.employee.departmentId)}`);
  if (q.status === 'open') parts.push(OPEN_SQL);
  else if (q.status === 'closed') parts.push(CLOSED_SQL);
  else if (q.status !== 'any') parts.push(`t.status = ${p(q.status)}`);
  if (q.client) parts.push(`t.client_id = ${p(q.client)}`);
  if (q.olderThanHours !== undefined) parts.push(`t.created_at <= now() - make_interval(hours => ${p(q.olderThanHours)})`);
  const text = q.q?.replace(/^#/, '').trim();
  if (text) {
    if (/^\d{1,12}$/.test(text)) parts.push(`t.number = ${p(Number(text))}`);
    else {
      // Words: the subject or any mail of the thread; an address: the sender. Checked per ticket
      // of the view (a person's queue is small), not by collecting every matching mail first.
      const words = p(text);
      parts.push(`(to_tsvector('simple', t.subject) @@ plainto_tsquery('simple', ${words})
        or lower(t.requester_email) = lower(${words}) or t.requester_name ilike '%' || ${words} || '%'
        or exists (select 1 from messages m where m.ticket_id = t.id and m.direction in ('in', 'out')
                      and to_tsvector('simple', coalesce(m.body_text, '')) @@ plainto_tsquery('simple', ${words})))`);
    }
  }
  return parts.join(' and ');
}

function toRow(r: Record<string, unknown>): QueueRow {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return {
    number: Number(r.number), status: r.status as string, subject: r.subject as string,
    client: r.client_id ? { id: Number(r.client_id), company: r.company as string } : null,
    sender: (r.requester_name as string | null) ?? (r.requester_email as string | null),
    assignee: (r.assignee as string | null) ?? null,
    createdAt: iso(r.created_at)!, waitingSince: iso(r.waiting_since), lastActivity: iso(r.last_activity)!,
  };
}

/**
 * One page of the queue, in the database: filters, order and paging run in SQL on indexed
 * columns, and only the page's rows are joined with clients, assignees and their last mail.
 */
export async function listQueue(sql: Sql, staff: Staff, q: QueueQuery): Promise<QueuePage> {
  const params: unknown[] = [];
  const where = whereSql(staff, q, params);
  const [{ total }] = await sql.query<{ total: number }>(
    `select count(*)::int as total from (select 1 from tickets t where ${where} limit ${TOTAL_CAP + 1}) x`, params);
  const rows = await sql.query(`
    select t.number, t.status, t.subject, t.client_id, c.company, t.requester_email, t.requester_name, e.name as assignee, t.created_at,
           case when t.status = 'new' then t.created_at
                when t.status in ('resolved', 'rejected', 'merged') then null
                when m.last_in > coalesce(m.last_reply, '-infinity') then m.last_in end as waiting_since,
           greatest(t.updated_at, m.last_any) as last_activity
      from (select * from tickets t where ${where} order by ${ORDER[q.sort]} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}) t
      left join clients c on c.id = t.client_id
      left join employees e on e.id = t.assignee_id
      left join lateral (select max(created_at) filter (where direction = 'in') as last_in,
                                max(created_at) filter (where direction = 'out' and kind = 'reply') as last_reply,
                                max(created_at) as last_any
                           from messages where ticket_id = t.id) m on true
     order by ${ORDER[q.sort]}`, params);
  return { rows: rows.map(toRow), total: Math.min(total, TOTAL_CAP), more: total > TOTAL_CAP, page: q.page, pageSize: q.pageSize };
}
