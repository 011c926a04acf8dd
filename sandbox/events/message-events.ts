import type { PortalContext } from '../portal-context.js';
import type { BotRecord, ChatRecord, CommandRecord, MessageRecord } from '../portal-state.js';
import { chatView, messageView, userView } from '../messenger/views.js';
import { deliverBotEvent } from './bot-event-delivery.js';
import { enqueueUserEvent } from './event-queue.js';

/** Who should hear about a new message: subscribed members (ONIMV2*) and the chat's bots (ONIMBOTV2*). */
export function announceNewMessage(ctx: PortalContext, message: MessageRecord, chat: ChatRecord): void {
  announceToUsers(ctx, 'ONIMV2MESSAGEADD', message, chat);
  const author = ctx.state.data.users.get(message.authorId);
  // bots do not hear each other, nor system messages (UNCONFIRMED, avoids bot ping-pong)
  if (!author || author.isBot || message.isSystem) return;
  const match = matchTextCommand(ctx, chat, message.text);
  if (match) {
    emitCommandEvent(ctx, {
      bot: match.bot, command: match.command, paramsText: match.params, context: 'textarea', message, chat, userId: author.id,
    });
  }
  for (const bot of botsOf(ctx, chat)) {
    if (bot.id === match?.bot.id || !hearsMessage(bot, chat, message)) continue;
    deliverBotEvent(ctx, bot, 'ONIMBOTV2MESSAGEADD', messageBody(ctx, message, chat, bot.id), author.id);
  }
}

export function announceMessageUpdate(ctx: PortalContext, message: MessageRecord, chat: ChatRecord): void {
  announceToUsers(ctx, 'ONIMV2MESSAGEUPDATE', message, chat);
}

export function announceMessageDelete(ctx: PortalContext, message: MessageRecord, chat: ChatRecord): void {
  const author = ctx.state.data.users.get(message.authorId);
  for (const memberId of chat.memberIds) {
    enqueueUserEvent(ctx, memberId, 'ONIMV2MESSAGEDELETE', {
      messageId: message.id,
      chat: chatView(ctx, chat, memberId),
      user: author ? userView(ctx, author, true) : null,
      language: ctx.config.language,
    });
  }
}

export interface CommandCall {
  bot: BotRecord;
  command: CommandRecord;
  paramsText: string;
  context: 'textarea' | 'keyboard' | 'menu';
  message: MessageRecord;
  chat: ChatRecord;
  userId: number;
}

/** ONIMBOTV2COMMANDADD: `command{id, command:"/x", params, context}` ahead of message, chat, user. */
export function emitCommandEvent(ctx: PortalContext, call: CommandCall): void {
  const user = ctx.state.data.users.get(call.userId);
  deliverBotEvent(ctx, call.bot, 'ONIMBOTV2COMMANDADD', {
    command: { id: call.command.id, command: `/${call.command.command}`, params: call.paramsText, context: call.context },
    ...messageBody(ctx, call.message, call.chat, call.bot.id, user ? userView(ctx, user, true) : null),
  }, call.userId);
}

function messageBody(
  ctx: PortalContext, message: MessageRecord, chat: ChatRecord, viewerId: number, user?: Record<string, unknown> | null,
): Record<string, unknown> {
  const author = ctx.state.data.users.get(message.authorId);
  return {
    message: messageView(ctx, message),
    chat: chatView(ctx, chat, viewerId),
    user: user !== undefined ? user : author ? userView(ctx, author, true) : null,
  };
}

function announceToUsers(ctx: PortalContext, type: string, message: MessageRecord, chat: ChatRecord): void {
  for (const memberId of chat.memberIds) {
    enqueueUserEvent(ctx, memberId, type, { ...messageBody(ctx, message, chat, memberId), language: ctx.config.language });
  }
}

function botsOf(ctx: PortalContext, chat: ChatRecord): BotRecord[] {
  return chat.memberIds.map((id) => ctx.state.data.bots.get(id)).filter((b): b is BotRecord => b !== undefined);
}

// chat-bots-v2/index.md#bot-types: a plain bot hears a group only when mentioned
function hearsMessage(bot: BotRecord, chat: ChatRecord, message: MessageRecord): boolean {
  if (chat.type === 'private' || bot.type === 'supervisor' || bot.type === 'personal') return true;
  return new RegExp(`\\[user=${bot.id}[\\] ]`, 'i').test(message.text);
}

/** A typed `/cmd params` names a command of a bot in the chat, or a `common` one of any bot. */
export function matchTextCommand(
  ctx: PortalContext, chat: ChatRecord, text: string,
): { bot: BotRecord; command: CommandRecord; params: string } | undefined {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text.trim());
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  const candidates = [...ctx.state.data.commands.values()].filter((c) => c.command.toLowerCase() === name);
  const inChat = candidates.find((c) => chat.memberIds.includes(c.botId));
  const chosen = inChat ?? candidates.find((c) => c.common);
  const bot = chosen && ctx.state.data.bots.get(chosen.botId);
  return chosen && bot ? { bot, command: chosen, params: m[2].trim() } : undefined;
}
