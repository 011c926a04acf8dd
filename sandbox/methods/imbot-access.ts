import type { BotOwner, BotRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import type { Caller, MethodContext, Params } from './method-registry.js';
import { asInt, asString } from './params.js';

// chat-bots-v2 method pages: these codes come as 400, ownership and access as 403
export const botErrors = {
  tokenNotSpecified: () => new RestError(400, 'BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified'),
  tokenLength: () => new RestError(400, 'BOT_TOKEN_INVALID_LENGTH', 'Bot token must not be longer than 40 characters'),
  idRequired: () => new RestError(400, 'BOT_ID_REQUIRED', 'Bot ID is required'),
  notFound: () => new RestError(400, 'BOT_NOT_FOUND', 'Bot not found'),
  ownership: () => new RestError(403, 'BOT_OWNERSHIP_ERROR', 'Bot is registered by another application'),
  accessDenied: () => new RestError(403, 'ACCESS_DENIED', 'Access denied'),
};

// reference §3: botToken ≤ 40 chars; longer ones are rejected since 2026-08-06
const MAX_BOT_TOKEN = 40;

/** Webhook calls name their bot with botToken; OAuth calls are bound by the app's client_id. */
export function callerOwner(caller: Caller, botToken: string | undefined): BotOwner {
  if (caller.kind === 'app' && caller.clientId) return { kind: 'app', clientId: caller.clientId };
  if (!botToken) throw botErrors.tokenNotSpecified();
  if (botToken.length > MAX_BOT_TOKEN) throw botErrors.tokenLength();
  return { kind: 'webhook', botToken };
}

export function sameOwner(a: BotOwner, b: BotOwner): boolean {
  if (a.kind === 'app' && b.kind === 'app') return a.clientId === b.clientId;
  if (a.kind === 'webhook' && b.kind === 'webhook') return a.botToken === b.botToken;
  return false;
}

/** Every imbot.v2 call but Bot.register: `botId` plus, for webhooks, the top-level `botToken` (reference §3). */
export function requireOwnBot(ctx: MethodContext, params: Params): BotRecord {
  const owner = callerOwner(ctx.caller, asString(params.botToken));
  const botId = asInt(params.botId ?? params.BOT_ID);
  if (botId === undefined) throw botErrors.idRequired();
  const bot = ctx.portal.state.data.bots.get(botId);
  if (!bot) throw botErrors.notFound();
  if (!sameOwner(bot.owner, owner)) throw botErrors.ownership();
  return bot;
}
