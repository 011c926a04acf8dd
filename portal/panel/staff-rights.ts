import type { Sql } from '../../tickets/store/db.js';
import type { Employee } from '../../tickets/store/employee-repo.js';
import { toEmployee } from '../../tickets/store/employee-repo.js';

/** How the panel sees people and what they may open: rights come from the portal's directory. */
export interface PanelRights {
  /** Bitrix24 user ids of administrators. */
  admins: readonly number[];
  /** Specialists see only their department's tickets, their own and the unassigned. */
  restrictToDepartment: boolean;
}

export interface Staff {
  employee: Employee;
  departmentName: string | null;
  admin: boolean;
  /** True when this person's view is narrowed to their department (see PanelRights). */
  restricted: boolean;
}

export async function loadStaff(sql: Sql, employeeId: number, rights: PanelRights): Promise<Staff | null> {
  const [row] = await sql.query<Record<string, unknown>>(`select e.*, d.name as department_name from employees e
    left join departments d on d.id = e.department_id where e.id = $1 and e.active`, [employeeId]);
  return row ? staffFromRow(row, rights) : null;
}

/** A staff member from a row of employees (`e.*`) with their department's name (`department_name`). */
export function staffFromRow(row: Record<string, unknown>, rights: PanelRights): Staff {
  const employee = toEmployee(row);
  const d = row.department_name ? { name: row.department_name as string } : undefined;
  const admin = rights.admins.includes(employee.b24UserId);
  return { employee, departmentName: d?.name ?? null, admin, restricted: rights.restrictToDepartment && !admin };
}

/**
 * The tickets a person may see, as a SQL condition on `t` (parameters appended to `params`).
 * Unassigned new tickets stay visible to all: anyone may dispatch, as in the bot's chat.
 */
export function staffScopeSql(staff: Staff, params: unknown[]): string {
  if (!staff.restricted) return 'true';
  params.push(staff.employee.id);
  const me = `$${params.length}`;
  if (staff.employee.departmentId === null) return `(t.assignee_id = ${me} or t.status = 'new')`;
  params.push(staff.employee.departmentId);
  return `(t.assignee_id = ${me} or t.department_id = $${params.length} or t.status = 'new')`;
}
