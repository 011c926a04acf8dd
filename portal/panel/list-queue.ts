import type { Sql } from '../../tickets/store/db.js';
import type { QueuePage, QueueQuery, QueueRow } from './panel-schemas.js';
import { findWordMatches, wordConditionSql, wordLexemes, type WordSearch } from './queue-search.js';
import { staffScopeSql, type Staff } from './staff-rights.js';

// Written out, not parameters: the planner then sees they match the partial indexes of migration 016.
const OPEN_SQL = "t.status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time')";
const CLOSED_SQL = "t.status in ('resolved', 'rejected')";
const CLOSED_OR_ANY = new Set<QueueQuery['status']>(['closed', 'any', 'resolved', 'rejected']);
/** Counting a million rows for a pager nobody pages to the end of is waste: the count stops here. */
export const TOTAL_CAP = 10_000;

const ORDER: Record<QueueQuery['sort'], string> = {
  oldest: 't.created_at, t.id',
  newest: 't.created_at desc, t.id desc',
  activity: 't.updated_at desc, t.id desc',
};

/** The words of a search (not a number, not an address), or undefined. */
function searchWords(q: QueueQuery): string | undefined {
  const text = q.q?.replace(/^#/, '').trim();
  return text && !/^\d{1,12}$/.test(text) && !isAddress(text) ? text : undefined;
}

const isAddress = (text: string) => /^[^\s@]+@[^\s@]+$/.test(text);

/** The queue's filters as one SQL condition (parameters appended); `words` says how a word search runs. */
function whereSql(staff: Staff, q: QueueQuery, params: unknown[], words: WordSearch | null, use: 'page' | 'count'): string {
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
  if (text && /^\d{1,12}$/.test(text)) parts.push(`t.number = ${p(Number(text))}`);
  else if (text && isAddress(text)) parts.push(`lower(t.requester_email) = lower(${p(text)})`);
  else if (words?.kind === 'ids') parts.push(`t.id = any(${p(words.ids)}::bigint[])`);
  else if (words?.kind === 'scan') parts.push(wordConditionSql(p(text), words.lexemes.map(p), use === 'count' && q.view !== 'mine'));
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
  const words = searchWords(q);
  // One person's open tickets are few: checking them one by one beats collecting every match.
  const search = words === undefined ? null
    : q.view === 'mine' && !CLOSED_OR_ANY.has(q.status) ? { kind: 'scan' as const, lexemes: await wordLexemes(sql, words) } : await findWordMatches(sql, words);
  const params: unknown[] = [];
  const where = whereSql(staff, q, params, search, 'page');
  const countParams: unknown[] = [];
  const countWhere = whereSql(staff, q, countParams, search, 'count');
  // Only ids go through the sort; the page's 50 rows are read after.
  const page = `select t.id from tickets t where ${where} order by ${ORDER[q.sort]} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  // Checking words ticket by ticket costs per ticket: count only a few pages ahead ("250+").
  const cap = search?.kind === 'scan' ? (q.page + 4) * q.pageSize : TOTAL_CAP;
  // The count and the page are independent: two connections of the pool answer them at once.
  const [[{ total }], rows] = await Promise.all([
    sql.query<{ total: number }>(`select count(*)::int as total from (select 1 from tickets t where ${countWhere} limit ${cap + 1}) x`, countParams),
    sql.query(pageSql(page, q), params),
  ]);
  return { rows: rows.map(toRow), total: Math.min(total, cap), more: total > cap, page: q.page, pageSize: q.pageSize };
}

/** The page's rows (`page`, a query of tickets) with their client, assignee and thread times. */
function pageSql(page: string, q: QueueQuery): string {
  return `
    select t.number, t.status, t.subject, t.client_id, c.company, t.requester_email, t.requester_name, e.name as assignee, t.created_at,
           case when t.status = 'new' then t.created_at
                when t.status in ('resolved', 'rejected', 'merged') then null
                when m.last_in > coalesce(m.last_reply, '-infinity') then m.last_in end as waiting_since,
           greatest(t.updated_at, m.last_any) as last_activity
      from (${page}) p join tickets t on t.id = p.id
      left join clients c on c.id = t.client_id
      left join employees e on e.id = t.assignee_id
      left join lateral (select max(created_at) filter (where direction = 'in') as last_in,
                                max(created_at) filter (where direction = 'out' and kind = 'reply') as last_reply,
                                max(created_at) as last_any
                           from messages where ticket_id = t.id) m on true
     order by ${ORDER[q.sort]}`;
}
