import { touch, type PortalContext } from '../portal-context.js';
import { nextId, type BotRecord, type UserRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { chatColors } from '../messenger/chats.js';
import { botView, userView } from '../messenger/views.js';
import { botErrors, callerOwner, requireOwnBot, sameOwner } from './imbot-access.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asBool, asInt, asObject, asString } from './params.js';

const BOT_TYPES = ['bot', 'supervisor', 'personal', 'openline', 'network'];
const err = (code: string, text: string) => new RestError(400, code, text);

function botAnswer(ctx: MethodContext, bot: BotRecord): Record<string, unknown> {
  const user = ctx.portal.state.data.users.get(bot.id)!;
  return { bot: botView(ctx.portal, bot), users: [userView(ctx.portal, user, false)] };
}

/** Idempotent per code and owner: a second call returns the bot as it is (bot-register.md). */
function register(ctx: MethodContext, params: Params) {
  const fields = asObject(params.fields) ?? {};
  const data = ctx.portal.state.data;
  const owner = callerOwner(ctx.caller, asString(fields.botToken));
  const code = asString(fields.code)?.trim();
  if (!code) throw err('BOT_CODE_REQUIRED', 'Bot code is required');
  const existing = [...data.bots.values()].find((b) => b.code === code);
  if (existing && sameOwner(existing.owner, owner)) return ok(botAnswer(ctx, existing));
  if (existing) throw err('BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
  const properties = asObject(fields.properties);
  const name = asString(properties?.name)?.trim();
  if (!properties || !name) throw err('BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
  const type = asString(fields.type) ?? 'bot';
  if (!BOT_TYPES.includes(type)) throw err('BOT_INVALID_TYPE', 'Invalid bot type');
  const mode = eventModeOf(fields, 'fetch');
  const webhookUrl = asString(fields.webhookUrl) ?? '';
  checkWebhookUrl(mode, webhookUrl);
  const id = nextId(data, 'user');
  data.users.set(id, botUser(id, name, properties, ctx.portal.now()));
  const bot: BotRecord = {
    id, code, type: type as BotRecord['type'], eventMode: mode, webhookUrl,
    isHidden: asBool(fields.isHidden, false), isReactionsEnabled: asBool(fields.isReactionsEnabled, true),
    isSupportOpenline: asBool(fields.isSupportOpenline, false), backgroundId: asString(fields.backgroundId) ?? null,
    owner, countMessage: 0,
  };
  data.bots.set(id, bot);
  touch(ctx.portal);
  return ok(botAnswer(ctx, bot));
}

function eventModeOf(fields: Params, fallback: BotRecord['eventMode']): BotRecord['eventMode'] {
  const mode = asString(fields.eventMode) ?? fallback;
  if (mode !== 'fetch' && mode !== 'webhook') throw err('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
  return mode;
}

function checkWebhookUrl(mode: BotRecord['eventMode'], url: string): void {
  if (mode !== 'webhook') return;
  if (!url) throw err('BOT_WEBHOOK_URL_REQUIRED', 'Webhook URL is required');
  if (!/^https?:\/\//i.test(url)) throw err('BOT_INVALID_CALLBACK', 'Invalid callback URL');
}

function botUser(id: number, name: string, properties: Params, now: number): UserRecord {
  const gender = asString(properties.gender);
  return {
    id, active: true, name, lastName: asString(properties.lastName) ?? '', email: '',
    workPosition: asString(properties.workPosition) ?? '', gender: gender === 'M' || gender === 'F' ? gender : '',
    departments: [], isAdmin: false, isBot: true, userType: 'bot',
    color: chatColors[asString(properties.color) ?? ''] ?? '#df532d', dateRegister: now,
  };
}

/** Bot.update; `fields.botToken` rotates the token, after which the old one is refused (bot-update.md). */
function update(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const fields = asObject(params.fields) ?? {};
  const mode = eventModeOf(fields, bot.eventMode);
  const webhookUrl = asString(fields.webhookUrl) ?? bot.webhookUrl;
  checkWebhookUrl(mode, webhookUrl);
  rotateToken(ctx, bot, asString(fields.botToken));
  Object.assign(bot, { eventMode: mode, webhookUrl });
  if (fields.isHidden !== undefined) bot.isHidden = asBool(fields.isHidden, bot.isHidden);
  if (fields.isReactionsEnabled !== undefined) bot.isReactionsEnabled = asBool(fields.isReactionsEnabled, true);
  if (fields.isSupportOpenline !== undefined) bot.isSupportOpenline = asBool(fields.isSupportOpenline, false);
  if ('backgroundId' in fields) bot.backgroundId = asString(fields.backgroundId) ?? null;
  const properties = asObject(fields.properties);
  const user = ctx.portal.state.data.users.get(bot.id)!;
  if (properties) {
    user.name = asString(properties.name) ?? user.name;
    user.lastName = asString(properties.lastName) ?? user.lastName;
    user.workPosition = asString(properties.workPosition) ?? user.workPosition;
  }
  touch(ctx.portal);
  return ok(botAnswer(ctx, bot));
}

function rotateToken(ctx: MethodContext, bot: BotRecord, newToken: string | undefined): void {
  if (!newToken || bot.owner.kind !== 'webhook') return;
  if (newToken.length > 40) throw botErrors.tokenLength();
  const taken = [...ctx.portal.state.data.bots.values()].some(
    (b) => b.id !== bot.id && b.owner.kind === 'webhook' && b.owner.botToken === newToken);
  if (taken) throw err('BOT_TOKEN_ROTATION_FAILED', 'Bot token rotation failed');
  bot.owner = { kind: 'webhook', botToken: newToken };
}

function list(ctx: MethodContext, params: Params) {
  const owner = callerOwner(ctx.caller, asString(params.botToken));
  const type = asString(asObject(params.filter)?.type);
  const limit = Math.max(1, asInt(params.limit) ?? 50);
  const offset = Math.max(0, asInt(params.offset) ?? 0);
  const mine = [...ctx.portal.state.data.bots.values()]
    .filter((b) => sameOwner(b.owner, owner) && (!type || b.type === type));
  const page = mine.slice(offset, offset + limit);
  const users = page.map((b) => userView(ctx.portal, ctx.portal.state.data.users.get(b.id)!, false));
  return ok({ bots: page.map((b) => botView(ctx.portal, b)), users, hasNextPage: mine.length > offset + limit });
}

function unregister(ctx: MethodContext, params: Params) {
  removeBot(ctx.portal, requireOwnBot(ctx, params).id);
  // reference §3: on the wire `result` is an object here
  return ok({ result: true });
}

/**
 * A bot's end, by Bot.unregister or by an administrator: its commands, events and chat seats
 * go; later calls naming it get BOT_NOT_FOUND (imbot.v2 method pages).
 */
export function removeBot(portal: PortalContext, botId: number): boolean {
  const data = portal.state.data;
  if (!data.bots.delete(botId)) return false;
  data.botQueues.delete(botId);
  for (const [id, c] of data.commands) if (c.botId === botId) data.commands.delete(id);
  for (const chat of data.chats.values()) chat.memberIds = chat.memberIds.filter((id) => id !== botId);
  const user = data.users.get(botId);
  if (user) user.active = false;
  touch(portal);
  return true;
}

export const imbotBotMethods: MethodDef[] = [
  { name: 'imbot.v2.Bot.register', scope: ['imbot'], handle: register },
  { name: 'imbot.v2.Bot.update', scope: ['imbot'], handle: update },
  { name: 'imbot.v2.Bot.list', scope: ['imbot'], handle: list },
  { name: 'imbot.v2.Bot.get', scope: ['imbot'], handle: (ctx, p) => ok(botAnswer(ctx, requireOwnBot(ctx, p))) },
  { name: 'imbot.v2.Bot.unregister', scope: ['imbot'], handle: unregister },
];
