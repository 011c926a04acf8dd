import type { Sql } from '../../../tickets/store/db.js';
import { recordAudit } from '../../../tickets/store/audit-repo.js';
import type { Staff } from '../staff-rights.js';

/** An administrator's change of a client's records, in the same audit trail as the tickets' (no ticket). */
export function auditAdmin(tx: Sql, staff: Staff, action: string, clientId: number, details: Record<string, unknown>): Promise<void> {
  return recordAudit(tx, {
    ticketId: null, actor: `employee:${staff.employee.id}`, channel: 'web', action: `admin.${action}`, at: new Date(), details: { clientId, ...details },
  });
}

/** Which fields changed, as [before, after]: what the audit keeps of an edit. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) out[k] = [before[k] ?? null, v ?? null];
  return out;
}

export async function listClientAudit(sql: Sql, clientId: number): Promise<Array<{ at: string; action: string; actor: string; details: Record<string, unknown> }>> {
  const rows = await sql.query<{ created_at: Date; action: string; actor: string; name: string | null; details: Record<string, unknown> }>(
    `select a.created_at, a.action, a.actor, e.name, a.details from audit_log a left join employees e on a.actor = 'employee:' || e.id
      where a.ticket_id is null and a.action like 'admin.%' and a.details->>'clientId' = $1 order by a.id desc limit 100`, [String(clientId)]);
  return rows.map((r) => ({ at: r.created_at.toISOString(), action: r.action, actor: r.name ?? r.actor, details: r.details }));
}
