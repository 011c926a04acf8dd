import type { Language } from '../tickets/types.js';

/** An imbot.v2 / im.v2 event reduced to what the bot acts on. */
export interface BotInput {
  type: string;
  user: { b24Id: number; name: string; isBot: boolean } | null;
  language: Language | null;
  /** Where to answer, as the event names it: a user id for a private dialog, `chatN` for a group. */
  dialogId: string;
  chatId: number;
  isPrivate: boolean;
  /** Set for task chats (`TASKS_TASK`, reference §0). */
  chatEntityType: string;
  messageId: number;
  authorId: number;
  text: string;
  isSystem: boolean;
  command: { name: string; params: string; context: string } | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
// Pulled events carry JSON types; pushed ones are form-encoded, every scalar a string (reference §2).
const flag = (v: unknown) => v === true || v === 'Y' || v === 'true' || v === '1';
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * Reads `data = {bot, message, chat, user, language, command?}` (imbot.v2 events; the
 * webhook user's ONIMV2MESSAGEADD has the same shape). Null when it lacks a message or chat.
 */
export function readBotEvent(type: string, data: Obj): BotInput | null {
  const message = obj(data.message);
  const chat = obj(data.chat);
  const user = obj(data.user);
  const command = data.command ? obj(data.command) : null;
  if (!message.id || !chat.id) return null;
  const language = str(data.language).toLowerCase();
  return {
    type,
    user: user.id ? { b24Id: Number(user.id), name: str(user.name) || [str(user.firstName), str(user.lastName)].join(' ').trim(), isBot: flag(user.bot) } : null,
    language: language === 'ru' || language === 'en' ? language : null,
    dialogId: str(chat.dialogId) || `chat${str(chat.id)}`,
    chatId: Number(chat.id),
    isPrivate: str(chat.type) === 'private' || str(chat.messageType) === 'P',
    chatEntityType: str(chat.entityType),
    messageId: Number(message.id),
    authorId: Number(message.authorId ?? 0),
    text: str(message.text),
    isSystem: flag(message.isSystem),
    command: command ? { name: str(command.command).replace(/^\//, '').toLowerCase(), params: str(command.params).trim(), context: str(command.context).toLowerCase() } : null,
  };
}
