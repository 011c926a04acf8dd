import { RestError } from '../rest/rest-error.js';
import { portalDate } from '../portal-context.js';
import { fullName, isMember, resolveDialog } from '../messenger/chats.js';
import { chatMessages } from '../messenger/post-message.js';
import { messageViewSnake, userViewSnake } from '../messenger/views.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asIntList, asString, param } from './params.js';

function boundary(params: Params, name: 'FIRST_ID' | 'LAST_ID'): number | undefined {
  const raw = param(params, name);
  if (raw === undefined || raw === '' || raw === null) return undefined;
  const n = asInt(raw);
  if (n === undefined) throw new RestError(400, `${name}_STRING`, `${name === 'FIRST_ID' ? 'First' : 'Last'} ID can't be string`);
  return n;
}

/**
 * im.dialog.messages.get: FIRST_ID pages forward (newer), LAST_ID backward (older), neither
 * gives the newest; LIMIT ≤ 50, default 20. Rows come newest first, as in the documented
 * example (order after FIRST_ID: UNCONFIRMED).
 */
function dialogMessages(ctx: MethodContext, params: Params) {
  const dialogId = asString(param(params, 'DIALOG_ID'))?.trim();
  if (!dialogId) throw new RestError(400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
  const firstId = boundary(params, 'FIRST_ID');
  const lastId = boundary(params, 'LAST_ID');
  const limit = Math.min(50, Math.max(1, asInt(param(params, 'LIMIT')) ?? 20));
  const chat = resolveDialog(ctx.portal, ctx.caller.userId, dialogId);
  if (!chat || !isMember(chat, ctx.caller.userId)) {
    throw new RestError(403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
  }
  let rows = chatMessages(ctx.portal, chat.id);
  if (firstId !== undefined) rows = rows.filter((m) => m.id > firstId).slice(0, limit);
  else if (lastId !== undefined) rows = rows.filter((m) => m.id < lastId).slice(-limit);
  else rows = rows.slice(-limit);
  rows = rows.reverse();
  const users = ctx.portal.state.data.users;
  const authorIds = [...new Set(rows.map((m) => m.authorId))].filter((id) => users.has(id));
  return ok({
    chat_id: chat.id,
    messages: rows.map((m) => messageViewSnake(ctx.portal, m)),
    users: authorIds.map((id) => userViewSnake(ctx.portal, users.get(id)!)),
    files: filesOf(ctx, rows.flatMap((m) => asIntList(m.params.FILE_ID))),
  });
}

function filesOf(ctx: MethodContext, ids: number[]): Array<Record<string, unknown>> {
  const { files, users } = ctx.portal.state.data;
  return ids.map((id) => files.get(id)).filter((f) => f !== undefined).map((f) => ({
    id: f.id, chatId: f.chatId, date: portalDate(ctx.portal, f.date), type: 'file', name: f.name, extension: f.extension,
    size: f.content.length, image: false, authorId: f.authorId, authorName: fullName(users.get(f.authorId)),
    urlDownload: `${ctx.portal.config.baseUrl}/sandbox/api/files/${f.id}`,
  }));
}

function imUser(ctx: MethodContext, params: Params) {
  const id = asInt(param(params, 'ID')) ?? ctx.caller.userId;
  const user = ctx.portal.state.data.users.get(id);
  if (!user) throw new RestError(400, 'USER_NOT_FOUND', 'User not found');
  return ok(userViewSnake(ctx.portal, user));
}

export const imDialogMethods: MethodDef[] = [
  { name: 'im.dialog.messages.get', scope: ['im'], handle: dialogMessages },
  { name: 'im.user.get', scope: ['im'], handle: imUser },
];
