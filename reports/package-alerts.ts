import type { Db, Sql } from '../tickets/store/db.js';
import type { Language } from '../tickets/types.js';
import { activeContractSql } from './load-month-input.js';
import { DEFAULT_REPORT_ZONE, monthOf, monthRange } from './month-range.js';

/** A client passed 80 % or 100 % of its package hours in a month: the account manager is told. */
export interface PackageAlert {
  id: number;
  clientId: number;
  company: string;
  contractNumber: string | null;
  /** `YYYY-MM`. */
  month: string;
  threshold: 80 | 100;
  usedMinutes: number;
  packageMinutes: number;
  accountManager: { id: number; name: string; b24UserId: string; language: Language } | null;
  notifiedAt: Date | null;
}

const ALERT_SQL = `
  select a.id, a.client_id, c.company, k.number as contract_number, to_char(a.month, 'YYYY-MM') as month, a.threshold,
    a.used_minutes, a.package_minutes, a.notified_at, e.id as manager_id, e.name as manager_name, e.b24_user_id as manager_b24,
    e.language as manager_language
  from package_alerts a join clients c on c.id = a.client_id
  left join contracts k on k.id = a.contract_id left join employees e on e.id = k.account_manager_id`;

function rowToAlert(r: Record<string, unknown>): PackageAlert {
  return {
    id: r.id as number, clientId: r.client_id as number, company: r.company as string,
    contractNumber: (r.contract_number as string | null) ?? null, month: r.month as string, threshold: r.threshold as 80 | 100,
    usedMinutes: r.used_minutes as number, packageMinutes: r.package_minutes as number,
    accountManager: r.manager_id == null ? null
      : { id: r.manager_id as number, name: r.manager_name as string, b24UserId: r.manager_b24 as string, language: r.manager_language as Language },
    notifiedAt: (r.notified_at as Date | null) ?? null,
  };
}

/**
 * Records the alerts due for a month and returns only the new ones: the ones to send. Usage
 * counts as in the report: billable minutes of tickets closed in the month. The unique key
 * (client, month, threshold) makes a second run, or two at once, record nothing twice.
 */
export async function recordPackageAlerts(sql: Sql, o: { month: string; zone?: string; clientIds?: number[] }): Promise<PackageAlert[]> {
  const r = monthRange(o.month, o.zone ?? DEFAULT_REPORT_ZONE);
  const inserted = await sql.query<{ id: number }>(`
    with usage as (
      select t.client_id, (sum(te.minutes) filter (where te.billable))::int as used
      from tickets t join time_entries te on te.ticket_id = t.id
      where t.status = 'resolved' and t.closed_at >= $1 and t.closed_at < $2 and t.client_id is not null
        and ($5::bigint[] is null or t.client_id = any($5))
      group by t.client_id)
    insert into package_alerts (client_id, contract_id, month, threshold, used_minutes, package_minutes)
    select c.id, k.id, $4::date, th.threshold, u.used, round(k.package_hours * 60)::int
    from usage u join clients c on c.id = u.client_id
    join lateral (${activeContractSql('$3', '$4')}) k on true
    cross join (values (80), (100)) as th(threshold)
    where k.package_hours > 0 and u.used * 100 >= round(k.package_hours * 60) * th.threshold
    on conflict (client_id, month, threshold) do nothing
    returning id`, [r.start, r.end, r.nextFirstDay, r.firstDay, o.clientIds ?? null]);
  if (inserted.length === 0) return [];
  const rows = await sql.query(`${ALERT_SQL} where a.id = any($1) order by a.client_id, a.threshold`, [inserted.map((x) => x.id)]);
  return rows.map(rowToAlert);
}

/**
 * The alerts of the client and month of a ticket whose time was just recorded, in the same
 * transaction: the manager hears of it on the bot's next tick instead of the next sweep.
 */
export async function recordTicketPackageAlerts(sql: Sql, t: { clientId: number | null; closedAt: Date | null }, zone = DEFAULT_REPORT_ZONE):
  Promise<PackageAlert[]> {
  if (t.clientId === null || t.closedAt === null) return [];
  return recordPackageAlerts(sql, { month: monthOf(t.closedAt, zone), zone, clientIds: [t.clientId] });
}

/**
 * Recorded alerts nobody has been told about yet (a crash or an outage between record and send).
 * `withManager`: only those there is somebody to tell; the others wait for a manager to be named.
 */
export async function listPendingPackageAlerts(sql: Sql, o: { withManager?: boolean; limit?: number } = {}): Promise<PackageAlert[]> {
  return (await sql.query(`${ALERT_SQL} where a.notified_at is null${o.withManager ? ' and e.id is not null' : ''} order by a.id limit $1`,
    [o.limit ?? null])).map(rowToAlert);
}

/**
 * Takes one pending alert for delivery: under its row lock, marks it notified and returns it,
 * or null when it was delivered meanwhile or has nobody to tell. The caller sends the message
 * after the commit (the bot records it with this decision).
 */
export async function claimPackageAlert(sql: Sql, alertId: number, now: Date): Promise<PackageAlert | null> {
  const [row] = await sql.query(`${ALERT_SQL} where a.id = $1 for update of a`, [alertId]);
  if (!row || row.notified_at || row.manager_id == null) return null;
  await sql.query('update package_alerts set notified_at = $2 where id = $1', [alertId, now]);
  return rowToAlert(row);
}

