import { touch } from '../portal-context.js';
import { nextId } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asString } from './params.js';

// departments/department-{add,update,delete}.md: every refusal is 400 ERROR_CORE with a text.
const coreError = (text: string) => new RestError(400, 'ERROR_CORE', text);

function existing(ctx: MethodContext, params: Params) {
  const id = asInt(params.ID);
  const department = id === undefined ? undefined : ctx.portal.state.data.departments.get(id);
  if (!department) throw coreError('Department not found');
  return department;
}

/** department.add {NAME*, PARENT*, SORT, UF_HEAD} → the new id. */
function add(ctx: MethodContext, params: Params) {
  const name = asString(params.NAME)?.trim();
  if (!name) throw coreError('Не введено название раздела.<br>');
  const parent = asInt(params.PARENT);
  if (parent === undefined || !ctx.portal.state.data.departments.has(parent)) {
    throw coreError('В структуре компании должен быть только один раздел верхнего уровня');
  }
  const id = nextId(ctx.portal.state.data, 'department');
  ctx.portal.state.data.departments.set(id, { id, name, sort: asInt(params.SORT) ?? 500, parent, head: asInt(params.UF_HEAD) ?? null });
  touch(ctx.portal);
  return ok(id);
}

/** department.update {ID*, NAME, SORT, PARENT, UF_HEAD} → true. */
function update(ctx: MethodContext, params: Params) {
  const d = existing(ctx, params);
  const name = asString(params.NAME)?.trim();
  if (name) d.name = name;
  d.sort = asInt(params.SORT) ?? d.sort;
  d.parent = asInt(params.PARENT) ?? d.parent;
  if (params.UF_HEAD !== undefined) d.head = asInt(params.UF_HEAD) ?? null;
  touch(ctx.portal);
  return ok(true);
}

/**
 * department.delete {ID*} → true. What becomes of its people is not documented; here they
 * simply lose that department (UNCONFIRMED).
 */
function remove(ctx: MethodContext, params: Params) {
  const d = existing(ctx, params);
  const data = ctx.portal.state.data;
  data.departments.delete(d.id);
  for (const u of data.users.values()) u.departments = u.departments.filter((id) => id !== d.id);
  touch(ctx.portal);
  return ok(true);
}

export const departmentWriteMethods: MethodDef[] = [
  { name: 'department.add', scope: ['department'], handle: add },
  { name: 'department.update', scope: ['department'], handle: update },
  { name: 'department.delete', scope: ['department'], handle: remove },
];
