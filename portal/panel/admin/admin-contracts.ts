import type { Db, Sql } from '../../../tickets/store/db.js';
import { InvalidInputError, NotFoundError } from '../../portal-errors.js';
import type { Staff } from '../staff-rights.js';
import { auditAdmin, changedFields } from './admin-audit.js';
import type { AdminContract, ContractInput } from './admin-schemas.js';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v).slice(0, 10));

function toContract(r: Record<string, unknown>): AdminContract {
  return {
    id: Number(r.id), number: r.number as string, subject: r.subject as string, startDate: day(r.start_day)!, endDate: day(r.end_day),
    supportType: r.support_type as string, portalUrl: (r.portal_url as string | null) ?? null, portalType: (r.portal_type as string | null) ?? null,
    monthlyFee: num(r.monthly_fee)!, currency: r.currency as string, packageHours: num(r.package_hours), hourlyRate: num(r.hourly_rate)!,
    overPackageRate: num(r.over_package_rate)!, bonusHours: num(r.bonus_hours)!, accountManagerId: num(r.account_manager_id),
  };
}

export async function listContracts(sql: Sql, clientId: number): Promise<AdminContract[]> {
  // to_char: a date column read as text whatever the driver's date parsing.
  const rows = await sql.query(`select *, to_char(start_date, 'YYYY-MM-DD') as start_day, to_char(end_date, 'YYYY-MM-DD') as end_day
    from contracts where client_id = $1 order by start_date desc, id desc`, [clientId]);
  return rows.map(toContract);
}

const COLUMNS = ['number', 'subject', 'start_date', 'end_date', 'support_type', 'portal_url', 'portal_type', 'monthly_fee', 'currency',
  'package_hours', 'hourly_rate', 'over_package_rate', 'bonus_hours', 'account_manager_id'];
const values = (c: ContractInput) => [c.number, c.subject, c.startDate, c.endDate, c.supportType, c.portalUrl, c.portalType, c.monthlyFee,
  c.currency, c.packageHours, c.hourlyRate, c.overPackageRate, c.bonusHours, c.accountManagerId];

async function checkManager(tx: Sql, c: ContractInput): Promise<void> {
  if (c.accountManagerId === null) return;
  const [e] = await tx.query('select 1 from employees where id = $1 and active', [c.accountManagerId]);
  if (!e) throw new InvalidInputError([`accountManagerId: no active employee ${c.accountManagerId}`]);
}

export async function createContract(db: Db, staff: Staff, clientId: number, c: ContractInput): Promise<number> {
  return db.transaction(async (tx) => {
    const [client] = await tx.query('select 1 from clients where id = $1 for update', [clientId]);
    if (!client) throw new NotFoundError(`client ${clientId}`);
    await checkManager(tx, c);
    const [row] = await tx.query<{ id: string }>(`insert into contracts (client_id, ${COLUMNS.join(', ')})
      values ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) returning id`, [clientId, ...values(c)]);
    await auditAdmin(tx, staff, 'contract.create', clientId, { contractId: Number(row.id), contract: c });
    return Number(row.id);
  });
}

/** An edit of a contract's terms: validated, and the audit keeps each changed field as before and after. */
export async function updateContract(db: Db, staff: Staff, contractId: number, c: ContractInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query(`select *, to_char(start_date, 'YYYY-MM-DD') as start_day, to_char(end_date, 'YYYY-MM-DD') as end_day
      from contracts where id = $1 for update`, [contractId]);
    if (!row) throw new NotFoundError(`contract ${contractId}`);
    await checkManager(tx, c);
    const { id: _id, ...before } = toContract(row);
    const changes = changedFields(before, c);
    if (Object.keys(changes).length === 0) return;
    await tx.query(`update contracts set ${COLUMNS.map((col, i) => `${col} = $${i + 2}`).join(', ')} where id = $1`, [contractId, ...values(c)]);
    await auditAdmin(tx, staff, 'contract.update', Number(row.client_id), { contractId, changes });
  });
}
