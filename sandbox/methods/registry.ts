import { batchMethods } from '../rest/batch.js';
import { appEventMethods } from './app-events.js';
import { imDialogMethods } from './im-dialog.js';
import { imbotBotMethods } from './imbot-bot.js';
import { imbotChatMethods } from './imbot-chat.js';
import { imbotCommandMethods } from './imbot-command.js';
import { imbotEventMethods } from './imbot-event.js';
import { imbotMessageMethods } from './imbot-message.js';
import { buildRegistry, type MethodDef } from './method-registry.js';
import { taskMethods } from './tasks.js';
import { taskListMethods } from './tasks-list.js';
import { taskV3Methods } from './tasks-v3.js';
import { userDepartmentMethods } from './user-department.js';
import { departmentWriteMethods } from './department-write.js';

/** The classic REST methods, served under `/rest/…`. */
export const v2Methods: Map<string, MethodDef> = buildRegistry([
  batchMethods,
  imbotBotMethods,
  imbotCommandMethods,
  imbotMessageMethods,
  imbotChatMethods,
  imbotEventMethods,
  imDialogMethods,
  userDepartmentMethods,
  departmentWriteMethods,
  taskMethods,
  taskListMethods,
  appEventMethods,
]);

/** REST 3.0 methods, served only under `/rest/api/…` (api-reference/rest-v3.md). */
export const v3Methods: Map<string, MethodDef> = buildRegistry([taskV3Methods]);
