import type { Sql } from '../../tickets/store/db.js';
import type { TicketListQuery, TicketPage, TicketRow } from '../api-schemas.js';
import { scopeSql, type TicketScope } from './ticket-scope.js';

const ORDER: Record<TicketListQuery['sort'], string> = {
  number: 't.number',
  opened: 't.created_at',
  activity: 't.updated_at',
  status: 't.status',
};

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

/** Filter conditions of the list; "q" is a ticket number ("1042", "#1042") or words of the subject or the mail. */
function filterSql(q: TicketListQuery, scope: TicketScope, params: unknown[]): string {
  const where = [scopeSql(scope, params)];
  const add = (cond: (p: string) => string, value: unknown) => { params.push(value); where.push(cond(`$${params.length}`)); };
  if (q.status) add((p) => `t.status = ${p}`, q.status);
  if (q.from) add((p) => `t.created_at >= ${p}::date`, q.from);
  if (q.to) add((p) => `t.created_at < ${p}::date + 1`, q.to);
  if (q.sender) add((p) => `t.requester_email = ${p}`, q.sender);
  const number = q.q ? /^#?(\d{1,15})$/.exec(q.q) : null;
  if (number) add((p) => `t.number = ${p}`, Number(number[1]));
  else if (q.q) {
    add((p) => `(to_tsvector('simple', t.subject) @@ plainto_tsquery('simple', ${p})
      or exists (select 1 from messages m where m.ticket_id = t.id and m.direction in ('in', 'out')
        and to_tsvector('simple', coalesce(m.body_text, '')) @@ plainto_tsquery('simple', ${p})))`, q.q);
  }
  return where.join(' and ');
}

/** One page of the tickets a person may see, filtered and sorted on the server. */
export async function listClientTickets(sql: Sql, scope: TicketScope, q: TicketListQuery): Promise<TicketPage> {
  const params: unknown[] = [];
  const where = filterSql(q, scope, params);
  const dir = q.dir === 'asc' ? 'asc' : 'desc';
  const [{ total }] = await sql.query<{ total: number }>(`select count(*)::int as total from tickets t where ${where}`, params);
  const rows = await sql.query(`select ${TICKET_ROW_SQL} from tickets t where ${where}
    order by ${ORDER[q.sort]} ${dir}, t.id ${dir} limit ${q.perPage} offset ${(q.page - 1) * q.perPage}`, params);
  const senderParams: unknown[] = [];
  const senders = await sql.query<{ email: string; name: string | null }>(`select t.requester_email as email, max(t.requester_name) as name
    from tickets t where ${scopeSql(scope, senderParams)} and t.requester_email is not null group by t.requester_email order by 1 limit 200`,
  senderParams);
  return { rows: rows.map(rowToTicketRow), total, page: q.page, perPage: q.perPage, senders };
}
