import { RestError, v3Validation } from '../rest/rest-error.js';
import { addTaskComment, canAccessTask } from '../tasks/task-service.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asObject, asString } from './params.js';

/**
 * REST 3.0 `tasks.task.chat.message.send {fields:{taskId, text}}` → `{result: true}` inside
 * `result`; failures in the v3 error shape (tasks/rest-v3/tasks-task-chat-message-send.md).
 */
function chatMessageSend(ctx: MethodContext, params: Params) {
  const fields = asObject(params.fields);
  if (!fields) throw v3Validation('fields', 'Обязательное поле `fields` не указано');
  if (fields.taskId === undefined) throw v3Validation('taskId', 'Обязательное поле `taskId` не указано');
  const taskId = asInt(fields.taskId);
  if (taskId === undefined) throw v3Validation('taskId', 'В поле `taskId` требуется тип данных `integer` для такого запроса');
  const text = asString(fields.text);
  if (text === undefined || !text.trim()) throw v3Validation('text', 'Обязательное поле `text` не указано');
  const task = ctx.portal.state.data.tasks.get(taskId);
  if (!task) throw new RestError(400, 'BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION', 'Задача не найдена');
  if (!canAccessTask(ctx.portal, task, ctx.caller.userId)) {
    throw new RestError(403, 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION', 'Доступ запрещен');
  }
  addTaskComment(ctx.portal, task, ctx.caller.userId, text);
  return ok({ result: true });
}

export const taskV3Methods: MethodDef[] = [
  { name: 'tasks.task.chat.message.send', scope: ['tasks'], handle: chatMessageSend },
];
