import type { TaskRecord } from '../portal-state.js';
import { canAccessTask } from '../tasks/task-service.js';
import { taskView } from '../tasks/task-view.js';
import type { MethodContext, MethodDef, Params } from './method-registry.js';
import { matchesCondition, paginate, parseFilterKey, sortRows, type FieldValue } from './list-filter.js';
import { asList, asObject } from './params.js';

// tasks-task-list.md: filter fields (a subset), each optionally prefixed by !, <, <=, >, >=.
const FIELDS: Record<string, (t: TaskRecord) => FieldValue> = {
  ID: (t) => t.id, TITLE: (t) => t.title, RESPONSIBLE_ID: (t) => t.responsibleId, CREATED_BY: (t) => t.createdBy,
  REAL_STATUS: (t) => t.status, STATUS: (t) => t.status, PRIORITY: (t) => t.priority, GROUP_ID: (t) => t.groupId,
  AUDITOR: (t) => t.auditors, ACCOMPLICE: (t) => t.accomplices, CREATED_DATE: (t) => t.createdDate,
};

/** TITLE "can be searched by a pattern [%_]" (tasks-task-list.md): a LIKE, case-insensitive. */
function likeTitle(title: string, pattern: string): boolean {
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'is').test(title);
}

function matches(task: TaskRecord, filter: Params): boolean {
  return Object.entries(filter).every(([key, expected]) => {
    const { op, field } = parseFilterKey(key);
    const value = FIELDS[field];
    if (!value) return true; // fields the sandbox does not model filter nothing out
    if (field === 'TITLE' && op === '=') return likeTitle(task.title, String(expected));
    return matchesCondition(value(task), op, expected);
  });
}

/**
 * tasks.task.list {order, filter, select, start}: the tasks the caller may see, 50 a page,
 * newest first by default; answer `{tasks: [...]}` with `total` and `next`.
 */
function list(ctx: MethodContext, params: Params) {
  const filter = asObject(params.filter) ?? {};
  const order = Object.entries(asObject(params.order) ?? { ID: 'desc' })[0] ?? ['ID', 'desc'];
  const byField = FIELDS[String(order[0]).toUpperCase()] ?? FIELDS.ID;
  const visible = [...ctx.portal.state.data.tasks.values()]
    .filter((t) => canAccessTask(ctx.portal, t, ctx.caller.userId) && matches(t, filter));
  const select = params.select === undefined ? undefined : asList(params.select).map(String);
  const out = paginate(sortRows(visible, byField, order[1]), params.start);
  out.result = { tasks: (out.result as TaskRecord[]).map((t) => taskView(ctx.portal, t, select)) };
  return out;
}

export const taskListMethods: MethodDef[] = [{ name: 'tasks.task.list', scope: ['task'], handle: list }];
