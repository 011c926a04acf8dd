import { portalDate, type PortalContext } from '../portal-context.js';
import type { DepartmentRecord, UserRecord } from '../portal-state.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { matchesCondition, paginate, parseFilterKey, sortRows, type FieldValue } from './list-filter.js';
import { asBool, asObject, param } from './params.js';

const USER_FIELDS = ['ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'EMAIL', 'WORK_POSITION', 'UF_DEPARTMENT', 'USER_TYPE', 'NAME_SEARCH'];

function userField(user: UserRecord, field: string): FieldValue {
  switch (field) {
    case 'ID': return user.id;
    case 'ACTIVE': return user.active;
    case 'NAME': return user.name;
    case 'LAST_NAME': return user.lastName;
    case 'EMAIL': return user.email;
    case 'WORK_POSITION': return user.workPosition;
    case 'UF_DEPARTMENT': return user.departments;
    case 'USER_TYPE': return user.userType;
    case 'NAME_SEARCH': return `${user.name} ${user.lastName}`;
    default: return null;
  }
}

/** FILTER (or filter), plus the legacy form with the same fields at the top level. */
function userFilter(params: Params): Array<[string, unknown]> {
  const legacy = Object.entries(params).filter(([k]) => USER_FIELDS.includes(parseFilterKey(k).field) && k === k.toUpperCase());
  return [...legacy, ...Object.entries(asObject(param(params, 'FILTER')) ?? {})];
}

function userRow(ctx: PortalContext, u: UserRecord): Record<string, unknown> {
  return {
    ID: String(u.id), ACTIVE: u.active, NAME: u.name, LAST_NAME: u.lastName, SECOND_NAME: '', EMAIL: u.email,
    LAST_LOGIN: portalDate(ctx, u.dateRegister), DATE_REGISTER: portalDate(ctx, u.dateRegister), TIME_ZONE: '',
    IS_ONLINE: 'N', PERSONAL_GENDER: u.gender, PERSONAL_BIRTHDAY: '', WORK_POSITION: u.workPosition, WORK_PHONE: '',
    PERSONAL_MOBILE: '', UF_EMPLOYMENT_DATE: '', UF_DEPARTMENT: [...u.departments], USER_TYPE: u.userType,
  };
}

/** user.get: never returns bots; prefixes > >= < <= @ !@ % ! on filter keys (reference §5). */
function userGet(ctx: MethodContext, params: Params) {
  const conditions = userFilter(params).map(([k, v]) => ({ ...parseFilterKey(k), value: v }));
  const users = [...ctx.portal.state.data.users.values()].filter((u) => !u.isBot && conditions.every((c) => {
    const expected = c.field === 'ACTIVE' ? asBool(c.value, true) : c.value;
    return matchesCondition(userField(u, c.field), c.op, expected);
  }));
  const sortField = String(param(params, 'sort') ?? 'ID').toUpperCase();
  const sorted = sortRows(users, (u) => userField(u, sortField), param(params, 'order'));
  const out = paginate(sorted, param(params, 'start'));
  return { ...out, result: (out.result as UserRecord[]).map((u) => userRow(ctx.portal, u)) };
}

function departmentField(d: DepartmentRecord, field: string): FieldValue {
  switch (field) {
    case 'ID': return d.id;
    case 'NAME': return d.name;
    case 'SORT': return d.sort;
    case 'PARENT': return d.parent;
    case 'UF_HEAD': return d.head;
    default: return null;
  }
}

function departmentRow(d: DepartmentRecord): Record<string, unknown> {
  const row: Record<string, unknown> = { ID: String(d.id), NAME: d.name, SORT: d.sort };
  if (d.parent !== null) row.PARENT = String(d.parent);
  // reference §5: UF_HEAD's presence is UNCONFIRMED; sent as a string id when the department has a head
  if (d.head !== null) row.UF_HEAD = String(d.head);
  return row;
}

/** department.get filters by top-level fields and pages with START (reference §5). */
function departmentGet(ctx: MethodContext, params: Params) {
  const conditions = ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']
    .filter((f) => params[f] !== undefined)
    .map((f) => ({ field: f, value: params[f] }));
  const departments = [...ctx.portal.state.data.departments.values()]
    .filter((d) => conditions.every((c) => matchesCondition(departmentField(d, c.field), '=', c.value)));
  const sortField = String(param(params, 'sort') ?? 'SORT').toUpperCase();
  const sorted = sortRows(sortRows(departments, (d) => d.id, 'ASC'), (d) => departmentField(d, sortField), param(params, 'order'));
  const out = paginate(sorted, params.START ?? params.start);
  return { ...out, result: (out.result as DepartmentRecord[]).map(departmentRow) };
}

function profile(ctx: MethodContext) {
  const u = ctx.portal.state.data.users.get(ctx.caller.userId);
  return ok({
    ID: String(ctx.caller.userId), ADMIN: u?.isAdmin ?? false, NAME: u?.name ?? '', LAST_NAME: u?.lastName ?? '',
    PERSONAL_GENDER: u?.gender ?? '', TIME_ZONE: '',
  });
}

export const userDepartmentMethods: MethodDef[] = [
  { name: 'user.get', scope: ['user', 'user_brief', 'user_basic'], handle: userGet },
  { name: 'department.get', scope: ['department'], handle: departmentGet },
  { name: 'profile', scope: null, handle: profile },
];
