import { touch } from '../portal-context.js';
import { nextId, type CommandRecord } from '../portal-state.js';
import { RestError } from '../rest/rest-error.js';
import { resolveDialog } from '../messenger/chats.js';
import { requireOwnBot } from './imbot-access.js';
import { buildBotMessage } from './imbot-message.js';
import { postMessage } from '../messenger/post-message.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asBool, asInt, asObject, asString } from './params.js';

function commandView(c: CommandRecord): Record<string, unknown> {
  return { id: c.id, botId: c.botId, command: `/${c.command}`, common: c.common, hidden: c.hidden, extranetSupport: c.extranetSupport };
}

function langMap(v: unknown): Record<string, string> {
  if (typeof v === 'string') return { en: v };
  const o = asObject(v) ?? {};
  return Object.fromEntries(Object.entries(o).map(([k, t]) => [k, asString(t) ?? '']));
}

/**
 * Command.register: idempotent per bot and command name. The flat legacy form (fields at the
 * top level) is still accepted until 2026-09-30 (reference §3).
 */
function register(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const fields = asObject(params.fields) ?? params;
  const raw = fields.command;
  if (raw === undefined || raw === '') throw new RestError(400, 'COMMAND_REQUIRED', 'Command is required');
  if (typeof raw !== 'string') throw new RestError(400, 'COMMAND_NAME_INVALID', 'Command name is invalid');
  const name = raw.replace(/^\//, '').trim();
  const data = ctx.portal.state.data;
  const existing = [...data.commands.values()].find((c) => c.botId === bot.id && c.command === name);
  if (existing) return ok({ command: commandView(existing) });
  const hidden = asBool(fields.hidden, false);
  const title = langMap(fields.title);
  if (!hidden && Object.values(title).every((t) => !t)) {
    throw new RestError(400, 'COMMAND_TITLE_REQUIRED', 'Command title is required');
  }
  const command: CommandRecord = {
    id: nextId(data, 'command'), botId: bot.id, command: name, title, params: langMap(fields.params),
    common: asBool(fields.common, false), hidden, extranetSupport: asBool(fields.extranetSupport, false),
  };
  data.commands.set(command.id, command);
  touch(ctx.portal);
  return ok({ command: commandView(command) });
}

/** Command.answer posts the bot's reply into the dialog, even one the bot is not in (reference §3). */
function answer(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const commandId = asInt(params.commandId);
  const command = commandId === undefined ? undefined : ctx.portal.state.data.commands.get(commandId);
  if (!command || command.botId !== bot.id) throw new RestError(400, 'COMMAND_ANSWER_FAILED', 'Command answer failed');
  const dialogId = asString(params.dialogId) ?? '';
  const chat = resolveDialog(ctx.portal, bot.id, dialogId);
  if (!chat) throw new RestError(400, 'COMMAND_ANSWER_FAILED', 'Command answer failed');
  const message = buildBotMessage(bot, asObject(params.fields) ?? {});
  postMessage(ctx.portal, chat, { authorId: bot.id, ...message });
  return ok({ result: true });
}

function list(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const commands = [...ctx.portal.state.data.commands.values()].filter((c) => c.botId === bot.id);
  return ok({ commands: commands.map(commandView) });
}

function unregister(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const commandId = asInt(params.commandId);
  const command = commandId === undefined ? undefined : ctx.portal.state.data.commands.get(commandId);
  if (!command || command.botId !== bot.id) throw new RestError(400, 'COMMAND_NOT_FOUND', 'Command not found');
  ctx.portal.state.data.commands.delete(command.id);
  touch(ctx.portal);
  return ok({ result: true });
}

export const imbotCommandMethods: MethodDef[] = [
  { name: 'imbot.v2.Command.register', scope: ['imbot'], handle: register },
  { name: 'imbot.v2.Command.answer', scope: ['imbot'], handle: answer },
  { name: 'imbot.v2.Command.list', scope: ['imbot'], handle: list },
  { name: 'imbot.v2.Command.unregister', scope: ['imbot'], handle: unregister },
];
