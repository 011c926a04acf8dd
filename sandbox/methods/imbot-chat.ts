import { portalDate, touch } from '../portal-context.js';
import { nextId, type ChatRecord, type FileRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { createChat, dialogIdFor, isMember, resolveDialog } from '../messenger/chats.js';
import { chatMessages, postMessage } from '../messenger/post-message.js';
import { chatView, userView } from '../messenger/views.js';
import { botErrors, requireOwnBot } from './imbot-access.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asIntList, asObject, asString } from './params.js';

/** Chat.add answers with the method-only chat fields as well (entities.md#chat). */
function chatAnswer(ctx: MethodContext, chat: ChatRecord, viewerId: number): Record<string, unknown> {
  const messages = chatMessages(ctx.portal, chat.id);
  return {
    ...chatView(ctx.portal, chat, viewerId),
    role: chat.ownerId === viewerId ? 'owner' : 'member',
    muteList: [],
    isNew: true,
    dateCreate: portalDate(ctx.portal, chat.createdAt),
    lastMessageId: messages.length ? messages[messages.length - 1].id : null,
    lastMessageViews: '{}',
    lastId: null,
    managerList: [],
    markedId: null,
    messageCount: messages.length,
    public: '',
    unreadId: null,
    userCounter: chat.memberIds.length,
  };
}

function addChat(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const fields = asObject(params.fields) ?? {};
  const users = ctx.portal.state.data.users;
  const userIds = asIntList(fields.userIds).filter((id) => users.has(id));
  const ownerId = asInt(fields.ownerId) ?? bot.id;
  const chat = createChat(ctx.portal, {
    type: 'chat',
    title: asString(fields.title) ?? '',
    description: asString(fields.description),
    color: asString(fields.color),
    ownerId,
    memberIds: [bot.id, ownerId, ...userIds].filter((id) => users.has(id)),
  });
  const first = asString(fields.message);
  if (first) postMessage(ctx.portal, chat, { authorId: bot.id, text: first });
  const members = chat.memberIds.map((id) => users.get(id)!).filter((u) => !u.isBot);
  return ok({ chat: chatAnswer(ctx, chat, bot.id), users: members.map((u) => userView(ctx.portal, u, false)) });
}

// reference §3: content is bare base64, at most 100 MB
const MAX_FILE = 100 * 1024 * 1024;

function upload(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const fields = asObject(params.fields) ?? {};
  const name = asString(fields.name)?.trim();
  const content = asString(fields.content);
  if (!name || !content) throw new RestError(400, 'FILE_EMPTY', 'File name or content is empty');
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(content)) throw new RestError(400, 'FILE_INVALID_CONTENT', 'Invalid base64 content');
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length > MAX_FILE) throw new RestError(400, 'FILE_TOO_LARGE', 'File is too large');
  const chat = resolveDialog(ctx.portal, bot.id, asString(params.dialogId) ?? '');
  if (!chat || !isMember(chat, bot.id)) throw botErrors.accessDenied();
  const data = ctx.portal.state.data;
  const file: FileRecord = {
    id: nextId(data, 'file'), chatId: chat.id, name, extension: extensionOf(name), content: bytes,
    authorId: bot.id, date: ctx.portal.now(),
  };
  data.files.set(file.id, file);
  const message = postMessage(ctx.portal, chat, { authorId: bot.id, text: asString(fields.message) ?? '', params: { FILE_ID: [file.id] } });
  touch(ctx.portal);
  return ok({
    file: { id: file.id, chatId: chat.id, name, extension: file.extension, size: bytes.length },
    messageId: message.id,
    chatId: chat.id,
    dialogId: dialogIdFor(chat, bot.id),
  });
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export const imbotChatMethods: MethodDef[] = [
  { name: 'imbot.v2.Chat.add', scope: ['imbot'], handle: addChat },
  // reference §6: file uploads are not allowed in batch
  { name: 'imbot.v2.File.upload', scope: ['imbot'], batchable: false, handle: upload },
];
