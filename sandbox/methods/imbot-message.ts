import { touch } from '../portal-context.js';
import type { BotRecord, MessageRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { isMember, resolveDialog } from '../messenger/chats.js';
import { isKeyboardRemoval, keyboardBotId, normalizeKeyboard, type KeyboardButton } from '../messenger/keyboard.js';
import { chatMessages, clipText, postMessage } from '../messenger/post-message.js';
import { announceMessageDelete, announceMessageUpdate } from '../events/message-events.js';
import { botErrors, requireOwnBot } from './imbot-access.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asBool, asInt, asObject, asString } from './params.js';

/** Text plus stored params (KEYBOARD buttons carry their BOT_ID so a click finds its bot). */
export function buildBotMessage(bot: BotRecord, fields: Params): { text: string; params: Record<string, unknown>; isSystem: boolean } {
  const text = asString(fields.message) ?? '';
  const params: Record<string, unknown> = {};
  const keyboard = storedKeyboard(bot, fields.keyboard);
  if (keyboard) params.KEYBOARD = keyboard;
  const attach = normalizeAttach(fields.attach);
  if (attach) params.ATTACH = attach;
  if (fields.urlPreview !== undefined) params.URL_PREVIEW = asBool(fields.urlPreview, true) ? 'Y' : 'N';
  if (!text.trim() && !keyboard && !attach) throw new RestError(400, 'EMPTY_MESSAGE', 'Message is empty');
  return { text, params, isSystem: asBool(fields.system, false) };
}

function storedKeyboard(bot: BotRecord, raw: unknown): KeyboardButton[] | null {
  const keyboard = raw === undefined || isKeyboardRemoval(raw) ? null : normalizeKeyboard(raw);
  if (!keyboard) return null;
  const botId = keyboardBotId(raw) ?? bot.id;
  return keyboard.map((b) => (b.TYPE === 'NEWLINE' ? b : { BOT_ID: botId, ...b }));
}

/** ATTACH is `{ID, COLOR, BLOCKS:[…]}` or a bare block array, possibly as JSON (reference §3). */
function normalizeAttach(raw: unknown): Array<Record<string, unknown>> | null {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params');
    }
  }
  if (value === undefined || value === null || value === '' || isKeyboardRemoval(value)) return null;
  if (Array.isArray(value)) return value.length ? [{ BLOCKS: value }] : null;
  const o = asObject(value);
  return o && o.BLOCKS ? [o] : null;
}

function send(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const chat = resolveDialog(ctx.portal, bot.id, asString(params.dialogId) ?? '');
  if (!chat || !isMember(chat, bot.id)) throw botErrors.accessDenied();
  const fields = asObject(params.fields) ?? {};
  // The messenger keeps one message per client UUID (`templateId`, carried as TEMPLATE_ID in
  // events): a repeated send returns the message already posted. How a real portal answers a
  // repeated UUID is not in the REST docs (UNCONFIRMED); this is the behaviour we rely on.
  const uuid = asString(fields.templateId);
  const earlier = uuid ? chatMessages(ctx.portal, chat.id).find((m) => m.uuid === uuid && m.authorId === bot.id) : undefined;
  if (earlier) return ok({ id: earlier.id, uuidMap: {} });
  const message = postMessage(ctx.portal, chat, { authorId: bot.id, uuid, ...buildBotMessage(bot, fields) });
  return ok({ id: message.id, uuidMap: {} });
}

function ownMessage(ctx: MethodContext, bot: BotRecord, params: Params): MessageRecord {
  const messageId = asInt(params.messageId);
  const message = messageId === undefined ? undefined : ctx.portal.state.data.messages.get(messageId);
  if (!message || message.authorId !== bot.id) throw botErrors.accessDenied();
  return message;
}

/** Chat.Message.update: own messages only; keyboard "N" removes it, an absent one stays (reference §3). */
function update(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const message = ownMessage(ctx, bot, params);
  const fields = asObject(params.fields) ?? {};
  if (fields.message !== undefined) message.text = clipText(asString(fields.message) ?? '');
  if (fields.keyboard !== undefined) {
    const keyboard = storedKeyboard(bot, fields.keyboard);
    if (keyboard) message.params.KEYBOARD = keyboard;
    else delete message.params.KEYBOARD;
  }
  if (fields.attach !== undefined) {
    const attach = normalizeAttach(fields.attach);
    if (attach) message.params.ATTACH = attach;
    else delete message.params.ATTACH;
  }
  if (fields.urlPreview !== undefined) message.params.URL_PREVIEW = asBool(fields.urlPreview, true) ? 'Y' : 'N';
  touch(ctx.portal);
  const chat = ctx.portal.state.data.chats.get(message.chatId);
  if (chat) announceMessageUpdate(ctx.portal, message, chat);
  // reference §3: `result` is an object here, not `true`
  return ok({ result: true });
}

function remove(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const messageId = asInt(params.messageId);
  const data = ctx.portal.state.data;
  const message = messageId === undefined ? undefined : data.messages.get(messageId);
  const chat = message && data.chats.get(message.chatId);
  if (!message || !chat || (message.authorId !== bot.id && chat.ownerId !== bot.id)) throw botErrors.accessDenied();
  if (asBool(params.complete, false)) data.messages.delete(message.id);
  else Object.assign(message, { text: '', params: { IS_DELETED: 'Y' } });
  touch(ctx.portal);
  announceMessageDelete(ctx.portal, message, chat);
  return ok({ result: true });
}

function inputAction(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const chat = resolveDialog(ctx.portal, bot.id, asString(params.dialogId) ?? '');
  if (!chat || !isMember(chat, bot.id)) throw botErrors.accessDenied();
  const seconds = Math.min(600, Math.max(1, asInt(params.duration) ?? 10));
  chat.typing = { userId: bot.id, until: ctx.portal.now() + seconds * 1000 };
  touch(ctx.portal);
  return ok({ result: true });
}

export const imbotMessageMethods: MethodDef[] = [
  { name: 'imbot.v2.Chat.Message.send', scope: ['imbot'], handle: send },
  { name: 'imbot.v2.Chat.Message.update', scope: ['imbot'], handle: update },
  { name: 'imbot.v2.Chat.Message.delete', scope: ['imbot'], handle: remove },
  { name: 'imbot.v2.Chat.InputAction.notify', scope: ['imbot'], handle: inputAction },
];
