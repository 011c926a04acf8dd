import { touch } from '../portal-context.js';
import { RestError } from '../rest/rest-error.js';
import { readEvents } from '../events/event-queue.js';
import { requireOwnBot } from './imbot-access.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asBool, asInt } from './params.js';

function pageArgs(params: Params): { offset: number | undefined; limit: number } {
  const offset = asInt(params.offset);
  const limit = Math.min(1000, Math.max(1, asInt(params.limit) ?? 100));
  return { offset, limit };
}

/**
 * imbot.v2.Event.get: `offset` acknowledges every event below it; with `withUserEvents` the
 * calling user's ONIMV2* events join the same stream, under the same offset (event-get.md).
 */
function botEventGet(ctx: MethodContext, params: Params) {
  const bot = requireOwnBot(ctx, params);
  const { offset, limit } = pageArgs(params);
  const withUser = asBool(params.withUserEvents, false);
  if (withUser) requireSubscribed(ctx);
  const userId = withUser ? ctx.caller.userId : undefined;
  return ok(readEvents(ctx.portal, { botId: bot.id, userId }, offset, limit));
}

function requireSubscribed(ctx: MethodContext): void {
  if (!ctx.caller.scopes.includes('im')) throw new RestError(403, 'SCOPE_ERROR', 'Scope error');
  if (!ctx.portal.state.data.userSubscriptions.has(ctx.caller.userId)) {
    throw new RestError(400, 'USER_NOT_SUBSCRIBED', 'User not subscribed');
  }
}

function subscribe(ctx: MethodContext) {
  ctx.portal.state.data.userSubscriptions.add(ctx.caller.userId);
  touch(ctx.portal);
  return ok(true);
}

function unsubscribe(ctx: MethodContext) {
  const data = ctx.portal.state.data;
  data.userSubscriptions.delete(ctx.caller.userId);
  data.userQueues.delete(ctx.caller.userId);
  touch(ctx.portal);
  return ok(true);
}

function userEventGet(ctx: MethodContext, params: Params) {
  requireSubscribed(ctx);
  const { offset, limit } = pageArgs(params);
  return ok(readEvents(ctx.portal, { userId: ctx.caller.userId }, offset, limit));
}

export const imbotEventMethods: MethodDef[] = [
  { name: 'imbot.v2.Event.get', scope: ['imbot'], handle: botEventGet },
  { name: 'im.v2.Event.subscribe', scope: ['im'], handle: subscribe },
  { name: 'im.v2.Event.unsubscribe', scope: ['im'], handle: unsubscribe },
  { name: 'im.v2.Event.get', scope: ['im'], handle: userEventGet },
];
