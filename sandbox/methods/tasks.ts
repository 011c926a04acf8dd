import { RestError } from '../rest/rest-error.js';
import { addTaskComment, createTask, findTask, TASK_COMPLETED, updateTask } from '../tasks/task-service.js';
import { taskView } from '../tasks/task-view.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asList, asObject, asString, param } from './params.js';

function taskIdOf(params: Params): number | undefined {
  return asInt(params.taskId ?? params.TASKID ?? params.id);
}

function add(ctx: MethodContext, params: Params) {
  const fields = asObject(param(params, 'fields')) ?? {};
  const task = createTask(ctx.portal, upperKeys(fields), ctx.caller.userId);
  return ok({ task: taskView(ctx.portal, task) });
}

function get(ctx: MethodContext, params: Params) {
  const task = findTask(ctx.portal, taskIdOf(params), ctx.caller.userId);
  const select = params.select === undefined ? undefined : asList(params.select).map(String);
  return ok({ task: taskView(ctx.portal, task, select) });
}

function update(ctx: MethodContext, params: Params) {
  const task = findTask(ctx.portal, taskIdOf(params), ctx.caller.userId);
  updateTask(ctx.portal, task, upperKeys(asObject(param(params, 'fields')) ?? {}), ctx.caller.userId);
  return ok({ task: taskView(ctx.portal, task) });
}

function complete(ctx: MethodContext, params: Params) {
  const task = findTask(ctx.portal, taskIdOf(params), ctx.caller.userId);
  updateTask(ctx.portal, task, { STATUS: TASK_COMPLETED }, ctx.caller.userId);
  return ok({ task: taskView(ctx.portal, task) });
}

/**
 * task.commentitem.add {TASKID, FIELDS:{POST_MESSAGE, AUTHOR_ID}} — also positional
 * `[taskId, {…}]`, as legacy task.* methods read arguments by order (reference §4, §8).
 * In the new card the comment is a task-chat message; its id is returned.
 */
function commentAdd(ctx: MethodContext, params: Params) {
  const task = findTask(ctx.portal, asInt(params.TASKID ?? params.taskId ?? params[0]), ctx.caller.userId);
  const fields = upperKeys(asObject(params.FIELDS ?? params.fields ?? params[1]) ?? {});
  const text = asString(fields.POST_MESSAGE)?.trim();
  if (!text) throw new RestError(400, 'ERROR_CORE', 'Не указан текст комментария');
  const authorId = asInt(fields.AUTHOR_ID) ?? ctx.caller.userId;
  if (!ctx.portal.state.data.users.has(authorId)) throw new RestError(400, 'ERROR_CORE', 'Автор комментария не найден');
  return ok(addTaskComment(ctx.portal, task, authorId, text).id);
}

function upperKeys(o: Params): Params {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toUpperCase(), v]));
}

export const taskMethods: MethodDef[] = [
  { name: 'tasks.task.add', scope: ['task'], handle: add },
  { name: 'tasks.task.get', scope: ['task'], handle: get },
  { name: 'tasks.task.update', scope: ['task'], handle: update },
  { name: 'tasks.task.complete', scope: ['task'], handle: complete },
  { name: 'task.commentitem.add', scope: ['task'], handle: commentAdd },
];
