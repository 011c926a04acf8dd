import type { Db } from '../tickets/store/db.js';
import { retireDepartmentsExcept, syncEmployees, upsertDepartments } from '../tickets/store/employee-repo.js';
import { listAll, type B24Port } from '../connectors/bitrix24/b24-port.js';

export interface DirectorySettings {
  /** Bitrix24 ids of the departments offered on the dispatch buttons; empty: every department with staff but the developers'. */
  supportDepartments: string[];
  developerDepartment?: string;
}

type B24Department = { ID: string; NAME: string };
type B24User = {
  ID: string; NAME?: string; LAST_NAME?: string; EMAIL?: string; UF_DEPARTMENT?: Array<number | string> | false; PERSONAL_GENDER?: string;
};

/**
 * Reads departments and active staff from Bitrix24 (reference §5) into our tables, so the
 * buttons name the right people and departments, and whoever or whatever is gone stops being offered.
 */
export async function syncDirectory(db: Db, b24: B24Port, s: DirectorySettings): Promise<{ departments: number; employees: number; retired: number }> {
  const [departments, users] = await Promise.all([
    listAll<B24Department>(b24, 'department.get', { sort: 'SORT', order: 'ASC' }),
    listAll<B24User>(b24, 'user.get', { FILTER: { ACTIVE: true, USER_TYPE: 'employee' } }),
  ]);
  const firstDepartment = (u: B24User) => (Array.isArray(u.UF_DEPARTMENT) && u.UF_DEPARTMENT.length > 0 ? Number(u.UF_DEPARTMENT[0]) : null);
  const staffed = new Set(users.map(firstDepartment).filter((d) => d !== null).map(String));
  const isSupport = (id: string) => (s.supportDepartments.length > 0 ? s.supportDepartments.includes(id) : staffed.has(id) && id !== s.developerDepartment);
  // The portal is the truth: a department renamed there is renamed here, one deleted there is retired here.
  const retired = await db.transaction(async (tx) => {
    await upsertDepartments(tx, departments.map((d) => ({
      b24Id: Number(d.ID), name: d.NAME, isSupport: isSupport(String(d.ID)), isDevelopers: String(d.ID) === s.developerDepartment,
    })));
    await syncEmployees(tx, users.map((u) => ({
      b24UserId: Number(u.ID), name: [u.NAME, u.LAST_NAME].filter(Boolean).join(' ') || `#${u.ID}`, email: u.EMAIL || null,
      departmentB24Id: firstDepartment(u),
      // The portal's field agrees the bot's verbs ("назначила"); empty means it does not say.
      gender: u.PERSONAL_GENDER === 'M' || u.PERSONAL_GENDER === 'F' ? u.PERSONAL_GENDER : null,
    })));
    // An empty answer is a portal in trouble, not one without departments (it always has its root).
    return departments.length > 0 ? retireDepartmentsExcept(tx, departments.map((d) => Number(d.ID))) : 0;
  });
  return { departments: departments.length, employees: users.length, retired };
}
