import type { Sql } from './db.js';
import type { Language } from '../types.js';

export interface Employee {
  id: number;
  b24UserId: number;
  name: string;
  departmentId: number | null;
  language: Language;
  active: boolean;
  /** PERSONAL_GENDER from the portal's directory; null when it does not say. */
  gender: 'M' | 'F' | null;
}

export interface Department {
  id: number;
  b24Id: number;
  name: string;
  isSupport: boolean;
  isDevelopers: boolean;
}

export const toEmployee = (r: Record<string, unknown>): Employee => ({
  id: r.id as number, b24UserId: Number(r.b24_user_id), name: r.name as string, departmentId: (r.department_id as number | null) ?? null,
  language: r.language as Language, active: r.active as boolean, gender: (r.gender as 'M' | 'F' | null) ?? null,
});
const toDepartment = (r: Record<string, unknown>): Department => ({
  id: r.id as number, b24Id: Number(r.b24_id), name: r.name as string, isSupport: r.is_support as boolean, isDevelopers: r.is_developers as boolean,
});

/** Departments as read from Bitrix24; which of them take tickets and which are developers is ours to say. */
export async function upsertDepartments(sql: Sql, rows: Array<Omit<Department, 'id'>>): Promise<void> {
  await sql.query(
    `insert into departments (b24_id, name, is_support, is_developers)
     select r->>'b24Id', r->>'name', (r->>'isSupport')::boolean, (r->>'isDevelopers')::boolean from jsonb_array_elements($1::jsonb) r
     on conflict (b24_id) do update set name = excluded.name, is_support = excluded.is_support, is_developers = excluded.is_developers`,
    [JSON.stringify(rows.map((d) => ({ ...d, b24Id: String(d.b24Id) })))]);
}

/**
 * Departments the portal no longer has are retired: they take no tickets and stop being
 * developers, so no button offers them again. Their rows stay (tickets and people refer to them).
 */
export async function retireDepartmentsExcept(sql: Sql, b24Ids: number[]): Promise<number> {
  const rows = await sql.query(
    `update departments set is_support = false, is_developers = false
      where (is_support or is_developers) and not (b24_id = any($1::text[])) returning id`, [b24Ids.map(String)]);
  return rows.length;
}

/**
 * Staff as read from Bitrix24. Everyone not in `rows` is marked inactive (left the company);
 * a person's language is kept, as it comes from their own messages, not from the directory.
 */
export async function syncEmployees(sql: Sql, rows: Array<{
  b24UserId: number; name: string; email: string | null; departmentB24Id: number | null; gender?: 'M' | 'F' | null;
}>): Promise<void> {
  await sql.query(
    `insert into employees (b24_user_id, name, email, department_id, active, gender)
     select r->>'b24UserId', r->>'name', r->>'email', d.id, true, r->>'gender'
       from jsonb_array_elements($1::jsonb) r left join departments d on d.b24_id = r->>'departmentB24Id'
     on conflict (b24_user_id) do update set name = excluded.name, email = excluded.email, department_id = excluded.department_id,
       active = true, gender = excluded.gender`,
    [JSON.stringify(rows.map((e) => ({ ...e, b24UserId: String(e.b24UserId), departmentB24Id: e.departmentB24Id === null ? null : String(e.departmentB24Id) })))]);
  await sql.query(`update employees set active = false where active and not (b24_user_id = any($1::text[]))`,
    [rows.map((e) => String(e.b24UserId))]);
}

/** The person behind an event: known staff, or added on first sight (e.g. a dispatcher outside the support departments). */
export async function ensureEmployee(sql: Sql, b24UserId: number, name: string, language: Language | null): Promise<Employee> {
  const [row] = await sql.query(
    `insert into employees (b24_user_id, name, language) values ($1, $2, coalesce($3, 'ru'))
     on conflict (b24_user_id) do update set language = coalesce($3, employees.language)
     returning *`, [String(b24UserId), name || `#${b24UserId}`, language]);
  return toEmployee(row);
}

export async function getEmployee(sql: Sql, id: number): Promise<Employee | null> {
  const [row] = await sql.query('select * from employees where id = $1', [id]);
  return row ? toEmployee(row) : null;
}

export async function getDepartment(sql: Sql, id: number): Promise<Department | null> {
  const [row] = await sql.query('select * from departments where id = $1', [id]);
  return row ? toDepartment(row) : null;
}

/** The departments a ticket can go to: support departments with somebody active in them (an empty one is a button to nowhere). */
export async function listSupportDepartments(sql: Sql): Promise<Department[]> {
  return (await sql.query(`select d.* from departments d
    where d.is_support and exists (select 1 from employees e where e.department_id = d.id and e.active) order by d.name, d.id`)).map(toDepartment);
}

export async function listDepartmentStaff(sql: Sql, departmentId: number): Promise<Employee[]> {
  return (await sql.query('select * from employees where department_id = $1 and active order by name, id', [departmentId])).map(toEmployee);
}

export async function listDevelopers(sql: Sql): Promise<Employee[]> {
  return (await sql.query(
    `select e.* from employees e join departments d on d.id = e.department_id where d.is_developers and e.active order by e.name, e.id`))
    .map(toEmployee);
}
