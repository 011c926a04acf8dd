import crypto from 'node:crypto';
import type { B24Port } from './b24-port.js';

/**
 * The chat-bot calls we make, over imbot.v2 (v1 `imbot.*` is deprecated; reference §0, §3).
 * With an inbound webhook every call carries our own `botToken`; with OAuth it carries none.
 */
export interface BotIdentity {
  botId: number;
  botToken?: string;
}

export type Keyboard = ReadonlyArray<Record<string, unknown>>;

// reference §3: with BOT_ID in the keyboard the commands bind to our bot, also on update.
const withBot = (bot: BotIdentity, keyboard: Keyboard) => ({ BOT_ID: bot.botId, BUTTONS: keyboard });

export interface BotProfile {
  code: string;
  name: string;
  workPosition?: string;
  color?: string;
}

const auth = (bot: BotIdentity) => (bot.botToken ? { botId: bot.botId, botToken: bot.botToken } : { botId: bot.botId });

export interface RegisteredBot extends BotIdentity {
  /**
   * The portal knows this bot in no chat and with no message (`countChat`, `countMessage`,
   * chat-bots-v2/entities.md): it was just created, e.g. after the portal lost the old one,
   * so whatever we remember about a bot of this id belongs to an earlier one.
   */
  fresh: boolean;
}

/**
 * Registers the bot, idempotently: the same code gives the same bot (reference §3), and
 * properties are updated when they differ from what the portal returned.
 */
export async function registerBot(b24: B24Port, p: BotProfile, mode: { botToken?: string; webhookUrl?: string }): Promise<RegisteredBot> {
  const properties = { name: p.name, workPosition: p.workPosition ?? '', color: p.color ?? 'AQUA' };
  const fields = {
    code: p.code, type: 'bot', properties,
    ...(mode.webhookUrl ? { eventMode: 'webhook', webhookUrl: mode.webhookUrl } : { eventMode: 'fetch' }),
    // reference §3: on register the token goes inside `fields`, elsewhere top-level.
    ...(mode.botToken ? { botToken: mode.botToken } : {}),
  };
  const { result } = await b24.call<{ bot: { id: number | string; name?: string; workPosition?: string; properties?: Record<string, unknown>;
    countChat?: number | string; countMessage?: number | string } }>('imbot.v2.Bot.register', { fields });
  const bot: BotIdentity = { botId: Number(result.bot.id), botToken: mode.botToken };
  const fresh = Number(result.bot.countChat ?? 0) === 0 && Number(result.bot.countMessage ?? 0) === 0;
  const current = result.bot.properties ?? result.bot;
  if (current.name !== properties.name || (current.workPosition ?? '') !== properties.workPosition) {
    await b24.call('imbot.v2.Bot.update', { ...auth(bot), fields: { properties } });
  }
  return { ...bot, fresh };
}

/** Hidden commands carry button clicks (reference §0): the click arrives as this command. */
export async function registerCommand(b24: B24Port, bot: BotIdentity, command: string, title?: { ru: string; en: string }): Promise<void> {
  await b24.call('imbot.v2.Command.register', {
    ...auth(bot),
    fields: { command, hidden: !title, common: true, ...(title ? { title } : {}) },
  });
}

/** A UUID that is the same for the same idempotency key. */
export function uuidFromKey(key: string): string {
  const h = crypto.createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Posts a message. Its `templateId` (the messenger's message UUID) derives from the
 * idempotency key, so a send retried after an answer was lost (a 502, a timeout) finds the
 * message already posted instead of posting it twice.
 */
export async function sendMessage(b24: B24Port, bot: BotIdentity, dialogId: string, message: string, keyboard: Keyboard | null,
  key: string): Promise<number> {
  const { result } = await b24.call<{ id: number | string }>('imbot.v2.Chat.Message.send', {
    ...auth(bot), dialogId,
    fields: { message, ...(keyboard ? { keyboard: withBot(bot, keyboard) } : {}), urlPreview: false, templateId: uuidFromKey(key) },
  }, key);
  return Number(result.id);
}

export async function updateMessage(b24: B24Port, bot: BotIdentity, messageId: number, message: string, keyboard: Keyboard | null,
  key: string): Promise<void> {
  // reference §3: keyboard "N" removes the buttons.
  await b24.call('imbot.v2.Chat.Message.update', {
    ...auth(bot), messageId, fields: { message, keyboard: keyboard ? withBot(bot, keyboard) : 'N' },
  }, key);
}

export async function deleteMessage(b24: B24Port, bot: BotIdentity, messageId: number, key: string): Promise<void> {
  await b24.call('imbot.v2.Chat.Message.delete', { ...auth(bot), messageId, complete: true }, key);
}

export async function showTyping(b24: B24Port, bot: BotIdentity, dialogId: string): Promise<void> {
  await b24.post('imbot.v2.Chat.InputAction.notify', { ...auth(bot), dialogId, duration: 10 }, `typing-${dialogId}-${Date.now()}`);
}

export async function addGroupChat(b24: B24Port, bot: BotIdentity, title: string, userIds: number[], key: string): Promise<string> {
  const { result } = await b24.call<{ chat: { dialogId: string } }>('imbot.v2.Chat.add', {
    ...auth(bot), fields: { title, userIds, color: 'MINT' },
  }, key);
  return result.chat.dialogId;
}

export async function uploadFile(b24: B24Port, bot: BotIdentity, dialogId: string, name: string, content: Buffer, key: string): Promise<void> {
  await b24.call('imbot.v2.File.upload', {
    ...auth(bot), dialogId, fields: { name, content: content.toString('base64') },
  }, key);
}

export interface BotEvent {
  eventId: number;
  type: string;
  date: string;
  data: Record<string, unknown>;
}

/** reference §3: `offset` acknowledges every event below it; keep `nextOffset` even when empty. */
export async function fetchEvents(b24: B24Port, bot: BotIdentity, offset: number | null, withUserEvents: boolean,
): Promise<{ events: BotEvent[]; nextOffset: number; hasMore: boolean }> {
  const { result } = await b24.call<{ events: BotEvent[]; nextOffset: number; hasMore: boolean }>('imbot.v2.Event.get', {
    ...auth(bot), limit: 100, withUserEvents, ...(offset !== null ? { offset } : {}),
  });
  return { events: result.events ?? [], nextOffset: Number(result.nextOffset), hasMore: Boolean(result.hasMore) };
}
