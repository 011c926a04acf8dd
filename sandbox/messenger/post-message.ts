import { randomUUID } from 'node:crypto';
import { touch, type PortalContext } from '../portal-context.js';
import { nextId, type ChatRecord, type MessageRecord } from '../portal-state.js';
import { announceNewMessage } from '../events/message-events.js';

// reference §3: longer texts are cut and marked with " (...)"
const MAX_TEXT = 20_000;

export function clipText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)} (...)` : text;
}

export interface NewMessage {
  authorId: number;
  text: string;
  params?: Record<string, unknown>;
  isSystem?: boolean;
  /** The client's message UUID (`templateId`); random when not given. */
  uuid?: string;
}

/** Stores a message in a chat and tells everyone who should hear about it. */
export function postMessage(ctx: PortalContext, chat: ChatRecord, m: NewMessage): MessageRecord {
  const data = ctx.state.data;
  const message: MessageRecord = {
    id: nextId(data, 'message'),
    chatId: chat.id,
    authorId: m.authorId,
    date: ctx.now(),
    text: clipText(m.text),
    isSystem: m.isSystem ?? false,
    params: m.params ?? {},
    uuid: m.uuid ?? randomUUID(),
  };
  data.messages.set(message.id, message);
  const bot = data.bots.get(m.authorId);
  if (bot) bot.countMessage += 1;
  touch(ctx);
  announceNewMessage(ctx, message, chat);
  return message;
}

export function chatMessages(ctx: PortalContext, chatId: number): MessageRecord[] {
  return [...ctx.state.data.messages.values()].filter((m) => m.chatId === chatId).sort((a, b) => a.id - b.id);
}
