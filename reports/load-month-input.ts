import type { Sql } from '../tickets/store/db.js';
import type { Language } from '../tickets/types.js';
import { ClientNotFoundError } from './errors.js';
import { monthRange, DEFAULT_REPORT_ZONE, type MonthRange } from './month-range.js';
import type { ContractTerms, MonthInput, ProblemTicket, ReportTicket } from './types.js';

export const OPEN_STATUSES = ['new', 'assigned', 'in_progress', 'escalated'];

/**
 * The contract of client `c` in force during the month (the latest started one when several
 * overlap), given the parameter numbers of the next month's and the month's first day.
 * Amounts come back as float8: numeric arrives as a string from node-postgres.
 */
export const activeContractSql = (nextFirstDay: string, firstDay: string) => `
  select k.id, k.number, k.subject, k.start_date::text as start_date, k.support_type, k.portal_url, k.portal_type,
    k.monthly_fee::float8 as monthly_fee, k.currency, k.package_hours::float8 as package_hours,
    k.hourly_rate::float8 as hourly_rate, k.over_package_rate::float8 as over_package_rate,
    k.bonus_hours::float8 as bonus_hours, e.name as manager_name, e.email as manager_email
  from contracts k left join employees e on e.id = k.account_manager_id
  where k.client_id = c.id and k.start_date < ${nextFirstDay}::date and (k.end_date is null or k.end_date >= ${firstDay}::date)
  order by k.start_date desc, k.id desc limit 1`;

interface HeadRow {
  id: number; company: string; language: Language; contract_id: number | null; number: string; subject: string;
  start_date: string; support_type: string; portal_url: string | null; portal_type: string | null; monthly_fee: number;
  currency: string; package_hours: number | null; hourly_rate: number; over_package_rate: number; bonus_hours: number;
  manager_name: string | null; manager_email: string | null;
}

function toTerms(r: HeadRow): ContractTerms | null {
  if (r.contract_id === null) return null;
  return {
    id: r.contract_id, number: r.number, subject: r.subject, startDate: r.start_date, supportType: r.support_type,
    portalUrl: r.portal_url, portalType: r.portal_type, monthlyFee: r.monthly_fee, currency: r.currency,
    packageHours: r.package_hours, hourlyRate: r.hourly_rate, overPackageRate: r.over_package_rate, bonusHours: r.bonus_hours,
    accountManager: r.manager_name === null ? null : { name: r.manager_name, email: r.manager_email },
  };
}

/** number, subject, status, opened (ms), closed (ms or null), specialist, minutes, billable minutes. */
type TicketTuple = [number, string, string, number, number | null, string | null, number, number];

/**
 * A ticket belongs to the month its specialist closed it in: closed_at, which every resolved
 * ticket has (close, then record time). Not resolved_at: that is when the time got recorded,
 * which for a ticket fixed during the review on the 1st would move it, and its hours, into
 * the next month. A ticket opened before the month's end and closed after it (or not at all)
 * was open when the period ended: it is listed apart, not billed. Tickets come back as one JSON
 * array: one row per client, not per ticket.
 */
const TICKETS_SQL = `
  select coalesce(json_agg(json_build_array(x.number, x.subject, x.status, x.opened, x.closed, x.specialist, x.minutes,
    x.billable_minutes) order by x.sort_at, x.number), '[]')
  from (select t.number, t.subject, t.status, coalesce(t.closed_at, t.created_at) as sort_at,
      floor(extract(epoch from t.created_at) * 1000)::bigint as opened, floor(extract(epoch from t.closed_at) * 1000)::bigint as closed,
      coalesce(a.name, (select e.name from time_entries te join employees e on e.id = te.employee_id
                        where te.ticket_id = t.id order by te.id limit 1)) as specialist,
      coalesce(m.minutes, 0)::int as minutes, coalesce(m.billable_minutes, 0)::int as billable_minutes
    from tickets t
    left join employees a on a.id = t.assignee_id
    left join lateral (select sum(minutes) as minutes, sum(minutes) filter (where billable) as billable_minutes
                       from time_entries where ticket_id = t.id) m on true
    where t.client_id = c.id and (
      (t.status in ('resolved', 'awaiting_time') and t.closed_at >= $4 and t.created_at < $5)
      or (t.status = any($6) and t.created_at < $5))) x`;

const iso = (ms: number) => new Date(ms).toISOString();

function splitTickets(rows: TicketTuple[], end: Date): Pick<MonthInput, 'tickets' | 'missingTime' | 'stillOpen'> {
  const tickets: ReportTicket[] = [];
  const missingTime: ProblemTicket[] = [];
  const stillOpen: ProblemTicket[] = [];
  for (const [number, subject, status, opened, closed, specialist, minutes, billableMinutes] of rows) {
    const closedInPeriod = closed !== null && closed < end.getTime() && (status === 'resolved' || status === 'awaiting_time');
    if (closedInPeriod && status === 'resolved') {
      tickets.push({ number, subject, openedAt: iso(opened), closedAt: iso(closed), specialist, minutes, billableMinutes });
    } else if (closedInPeriod) {
      missingTime.push({ number, subject, status, specialist, since: iso(closed) });
    } else {
      stillOpen.push({ number, subject, status, specialist, since: iso(opened) });
    }
  }
  return { tickets, missingTime, stillOpen };
}

export interface MonthSnapshot {
  input: MonthInput;
  /** Content hash of the newest stored report for the month, if any. */
  latestContentSha256: string | null;
}

/**
 * Many clients' months in one statement (reports are drafted for thousands of clients at
 * once, and every round trip costs): client, contract terms, tickets, and the content hash of
 * the newest stored report for the month. Clients that do not exist are left out.
 */
export async function loadMonthSnapshots(sql: Sql, clientIds: readonly number[], month: string, zone = DEFAULT_REPORT_ZONE):
  Promise<MonthSnapshot[]> {
  const range: MonthRange = monthRange(month, zone);
  const rows = await sql.query<HeadRow & { tickets: TicketTuple[]; latest_sha: string | null }>(
    `select c.id, c.company, c.language, k.id as contract_id, k.number, k.subject, k.start_date, k.support_type, k.portal_url,
       k.portal_type, k.monthly_fee, k.currency, k.package_hours, k.hourly_rate, k.over_package_rate, k.bonus_hours,
       k.manager_name, k.manager_email, (${TICKETS_SQL}) as tickets,
       (select r.content_sha256 from reports r where r.client_id = c.id and r.month = $3::date order by r.version desc limit 1) as latest_sha
     from clients c left join lateral (${activeContractSql('$2', '$3')}) k on true where c.id = any($1::bigint[]) order by c.id`,
    [clientIds, range.nextFirstDay, range.firstDay, range.start, range.end, OPEN_STATUSES]);
  return rows.map((head) => ({
    input: {
      client: { id: head.id, company: head.company, language: head.language },
      month: range.month, zone, contract: toTerms(head), ...splitTickets(head.tickets, range.end),
    },
    latestContentSha256: head.latest_sha,
  }));
}

/** Reads one client's month: client, contract terms, closed tickets with their time, and problems. */
export async function loadMonthInput(sql: Sql, clientId: number, month: string, zone = DEFAULT_REPORT_ZONE): Promise<MonthInput> {
  const [snapshot] = await loadMonthSnapshots(sql, [clientId], month, zone);
  if (!snapshot) throw new ClientNotFoundError(clientId);
  return snapshot.input;
}
