import { RestError } from '../rest/rest-error.js';
import { portalDate } from '../portal-context.js';
import { ok, type MethodContext, type MethodDef, type Params } from './method-registry.js';
import { asInt, asString } from './params.js';

function appClientId(ctx: MethodContext): string {
  return ctx.caller.clientId ?? '';
}

/** event.bind: app context only; offline events are not simulated (events/event-bind.md). */
function bind(ctx: MethodContext, params: Params) {
  const event = asString(params.event)?.trim().toUpperCase();
  const handler = asString(params.handler)?.trim();
  if (!event || !/^ON[A-Z0-9_]+$/.test(event)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
  if (asString(params.event_type) === 'offline') {
    throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Offline events are not simulated by the sandbox');
  }
  if (!handler || !/^https?:\/\//i.test(handler)) throw new RestError(400, 'ERROR_HANDLER_URL_MISMATCH', 'Wrong handler URL');
  const auth = ctx.portal.state.auth;
  const clientId = appClientId(ctx);
  const duplicate = auth.bindings.some((b) => b.clientId === clientId && b.event === event && b.handler === handler);
  if (duplicate) throw new RestError(400, 'ERROR_EVENT_ALREADY_INSTALLED', 'Handler already binded');
  auth.bindingSeq += 1;
  auth.bindings.push({ id: auth.bindingSeq, clientId, event, handler, authUserId: asInt(params.auth_type) || null });
  return ok(true);
}

function unbind(ctx: MethodContext, params: Params) {
  const event = asString(params.event)?.trim().toUpperCase();
  const handler = asString(params.handler)?.trim();
  const auth = ctx.portal.state.auth;
  const before = auth.bindings.length;
  auth.bindings = auth.bindings.filter((b) =>
    !(b.clientId === appClientId(ctx) && b.event === event && (!handler || b.handler === handler)));
  return ok({ count: before - auth.bindings.length });
}

function list(ctx: MethodContext) {
  const rows = ctx.portal.state.auth.bindings.filter((b) => b.clientId === appClientId(ctx));
  return ok(rows.map((b) => ({ event: b.event, handler: b.handler, auth_type: String(b.authUserId ?? 0), offline: 0 })));
}

function serverTime(ctx: MethodContext) {
  return ok(portalDate(ctx.portal, ctx.portal.now()));
}

/**
 * app.info (api-reference/common/system/app-info.md), app context only. A local app's `CODE`
 * is its client_id; `ID` its local id here (its position among the portal's apps).
 */
function appInfo(ctx: MethodContext) {
  if (ctx.caller.kind !== 'app') throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Application context required');
  const apps = [...ctx.portal.state.auth.apps.keys()];
  return ok({
    ID: apps.indexOf(appClientId(ctx)) + 1,
    CODE: appClientId(ctx),
    VERSION: 1,
    STATUS: 'L',
    INSTALLED: true,
    PAYMENT_EXPIRED: 'N',
    DAYS: null,
    LANGUAGE_ID: ctx.portal.config.language,
    LICENSE: `${ctx.portal.config.language}_ent250`,
    LICENSE_TYPE: 'ent250',
    LICENSE_FAMILY: 'ent',
  });
}

function scope(ctx: MethodContext) {
  return ok([...ctx.caller.scopes]);
}

export const appEventMethods: MethodDef[] = [
  { name: 'event.bind', scope: null, appOnly: true, handle: bind },
  { name: 'event.unbind', scope: null, appOnly: true, handle: unbind },
  { name: 'event.get', scope: null, appOnly: true, handle: list },
  { name: 'server.time', scope: null, handle: serverTime },
  { name: 'app.info', scope: null, handle: appInfo },
  { name: 'scope', scope: null, handle: scope },
];
