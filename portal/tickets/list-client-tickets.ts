import type { Sql } from '../../tickets/store/db.js';
import type { TicketListQuery, TicketPage, TicketRow } from '../api-schemas.js';
import { scopeSql, type TicketScope } from './ticket-scope.js';

// Ties broken by id (the number, unique, has its own query: pageSql).
const ORDER: Record<Exclude<TicketListQuery['sort'], 'number'>, (dir: 'asc' | 'desc') => string> = {
  opened: (dir) => `t.created_at ${dir}, t.id ${dir}`,
  activity: (dir) => `t.updated_at ${dir}, t.id ${dir}`,
  status: (dir) => `t.status ${dir}, t.id ${dir}`,
};

/** Counting a large client's every ticket for a pager nobody pages to the end of is waste: the count stops here. */
export const TOTAL_CAP = 1000;

export const TICKET_ROW_SQL = `t.number, t.subject, t.status, t.requester_email, t.requester_name, t.created_at, t.updated_at,
  case when t.status in ('resolved', 'awaiting_time', 'rejected')
    then (select sum(minutes)::int from time_entries te where te.ticket_id = t.id) end as minutes_spent`;

export function rowToTicketRow(r: Record<string, unknown>): TicketRow {
  return {
    number: r.number as number, subject: r.subject as string, status: r.status as TicketRow['status'],
    senderEmail: r.requester_email as string | null, senderName: r.requester_name as string | null,
    openedAt: (r.created_at as Date).toISOString(), lastActivityAt: (r.updated_at as Date).toISOString(),
    minutesSpent: (r.minutes_spent as number | null) ?? null,
  };
}

// The ticket's search vector (migration 021: subject and every mail both ways). A large
// scope goes through its GIN index (with the client's index, a bitmap AND); a small one is
// checked row by row on the client's tickets: the coalesce keeps the GIN index out, whose
// scan of a common word (10,000+ tickets of every client) costs more than the whole scope.
const WORDS = (p: string) => `t.search @@ plainto_tsquery('simple', ${p})`;
const WORDS_ROW_BY_ROW = (p: string) => `coalesce(t.search, '') @@ plainto_tsquery('simple', ${p})`;
const ROW_BY_ROW_UP_TO = 2000;

/**
 * An answer about a scope kept for `ttlMs`, per scope: for facts that change slowly and only
 * steer or decorate the list, never which tickets it shows. Failed answers are not kept.
 */
function perScope<T>(ttlMs: number, load: (sql: Sql, scope: TicketScope) => Promise<T>): (sql: Sql, scope: TicketScope) => Promise<T> {
  const kept = new Map<string, { value: Promise<T>; until: number }>();
  return (sql, scope) => {
    const key = `${scope.clientId} ${scope.requesterEmail ?? ''}`;
    const known = kept.get(key);
    if (known && known.until > Date.now()) return known.value;
    if (kept.size >= 10_000) kept.clear();
    const value = load(sql, scope);
    kept.set(key, { value, until: Date.now() + ttlMs });
    value.catch(() => kept.delete(key));
    return value;
  };
}

/**
 * Whether the scope is small enough to look for words ticket by ticket. Small or not only
 * picks the faster of two plans that find the same rows, so an answer a few minutes old
 * serves: a search then costs no extra round trip to the database.
 */
const smallScope = perScope(5 * 60_000, async (sql, scope) => {
  const params: unknown[] = [];
  const [{ n }] = await sql.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from tickets t where ${scopeSql(scope, params)} limit ${ROW_BY_ROW_UP_TO + 1}) x`, params);
  return n <= ROW_BY_ROW_UP_TO;
});

/** Filter conditions of the list; "q" is a ticket number ("1042", "#1042") or words of the subject or the mail. */
function filterSql(q: TicketListQuery, scope: TicketScope, params: unknown[], rowByRow: boolean): string {
  const where = [scopeSql(scope, params)];
  const add = (cond: (p: string) => string, value: unknown) => { params.push(value); where.push(cond(`$${params.length}`)); };
  if (q.status) add((p) => `t.status = ${p}`, q.status);
  if (q.from) add((p) => `t.created_at >= ${p}::date`, q.from);
  if (q.to) add((p) => `t.created_at < ${p}::date + 1`, q.to);
  if (q.sender) add((p) => `t.requester_email = ${p}`, q.sender);
  const number = q.q ? /^#?(\d{1,15})$/.exec(q.q) : null;
  if (number) add((p) => `t.number = ${p}`, Number(number[1]));
  else if (q.q) add(rowByRow ? WORDS_ROW_BY_ROW : WORDS, q.q);
  return where.join(' and ');
}

/**
 * The page's one statement: its rows, each with the total (counted up to TOTAL_CAP, once, as an
 * uncorrelated subquery). By number, the page's numbers are found first, from the client's own
 * indexes only (index-only, migration 024), and the rows read for those 25: asked for whole
 * rows in number order, the planner walks the global number index and skips other clients'
 * tickets, expecting a client's to be spread evenly over all numbers; for a client that
 * joined late or sent most of its mail in one year that is a walk over most of the table
 * (5 s for the largest client of bench:cabinet). A search by words is counted in the pass that
 * sorts its matches (every match is read to sort them anyway), not by searching twice.
 */
function pageSql(q: TicketListQuery, where: string, words: boolean): string {
  const dir = q.dir === 'asc' ? 'asc' : 'desc';
  const order = q.sort === 'number' ? `t.number ${dir}` : ORDER[q.sort](dir);
  const slice = `limit ${q.perPage} offset ${(q.page - 1) * q.perPage}`;
  if (words) {
    return `with hits as (select t.id, count(*) over () as total from tickets t where ${where} order by ${order} ${slice})
      select ${TICKET_ROW_SQL}, hits.total from hits join tickets t using (id) order by ${order}`;
  }
  const total = `(${COUNT_SQL(where)}) as total`;
  if (q.sort !== 'number') return `select ${TICKET_ROW_SQL}, ${total} from tickets t where ${where} order by ${order} ${slice}`;
  return `select ${TICKET_ROW_SQL}, ${total} from (select t.number from tickets t where ${where} order by ${order} ${slice}) page
    join tickets t using (number) order by ${order}`;
}

const COUNT_SQL = (where: string) => `select count(*)::int from (select 1 from tickets t where ${where} limit ${TOTAL_CAP + 1}) counted`;

/** One page of the tickets a person may see, filtered and sorted on the server; its total counted up to TOTAL_CAP. */
export async function listClientTickets(sql: Sql, scope: TicketScope, q: TicketListQuery): Promise<TicketPage> {
  const params: unknown[] = [];
  const words = Boolean(q.q) && !/^#?\d{1,15}$/.test(q.q!);
  const where = filterSql(q, scope, params, words && await smallScope(sql, scope));
  const [rows, senders] = await Promise.all([sql.query(pageSql(q, where, words), params), scopeSenders(sql, scope)]);
  // Past the last page there is no row to carry the total: it is asked for on its own.
  const total = rows.length > 0 ? Number(rows[0].total)
    : q.page === 1 ? 0 : (await sql.query<{ count: number }>(COUNT_SQL(where), params))[0].count;
  return { rows: rows.map(rowToTicketRow), total: Math.min(total, TOTAL_CAP), more: total > TOTAL_CAP, page: q.page, perPage: q.perPage, senders };
}

// The sender filter's choices change when a new person writes in, rarely: every page of the
// list does not need them read again, a minute's delay for a newcomer's name is no harm.
const scopeSenders = perScope(60_000, listSenders);

/**
 * The senders of the scope's tickets for the filter, by a skip scan over (client, requester):
 * one index probe per distinct sender, not a pass over all of a large client's tickets.
 */
async function listSenders(sql: Sql, scope: TicketScope): Promise<TicketPage['senders']> {
  const params: unknown[] = [];
  const where = scopeSql(scope, params);
  return sql.query<{ email: string; name: string | null }>(`with recursive s(email, n) as (
      (select t.requester_email, 1 from tickets t where ${where} and t.requester_email is not null order by t.requester_email limit 1)
      union all
      select (select t.requester_email from tickets t where ${where} and t.requester_email > s.email order by t.requester_email limit 1), s.n + 1
      from s where s.email is not null and s.n < 200)
    select s.email, (select t.requester_name from tickets t where ${where} and t.requester_email = s.email and t.requester_name is not null
      limit 1) as name
    from s where s.email is not null order by s.email`, params);
}

