import { restEndpoint, touch, type PortalContext } from '../portal-context.js';
import { unixSeconds } from '../bitrix-date.js';

/**
 * An administrator deletes the app (api-reference/common/events/on-app-uninstall.md):
 * ONAPPUNINSTALL goes to the app's handlers with no tokens, only the portal's ids and the
 * application token; then its tokens die, its event bindings go (events/event-bind.md) and
 * so do its bots. Its client_id and secret stay, so it can be installed again.
 */
export function uninstallApp(ctx: PortalContext, clientId: string, opts: { clean?: boolean } = {}): void {
  const { auth, data } = ctx.state;
  const app = auth.apps.get(clientId);
  if (!app || !app.applicationToken) throw new Error(`app ${clientId} is not installed`);
  for (const binding of auth.bindings) {
    if (binding.clientId !== clientId || binding.event !== 'ONAPPUNINSTALL') continue;
    ctx.pushes.enqueue(binding.handler, 'ONAPPUNINSTALL', {
      event: 'ONAPPUNINSTALL',
      data: { LANGUAGE_ID: ctx.config.language, CLEAN: opts.clean ? 1 : 0 },
      ts: unixSeconds(ctx.now()),
      auth: { domain: ctx.config.domain, server_endpoint: restEndpoint(ctx), client_endpoint: restEndpoint(ctx),
        member_id: ctx.config.memberId, application_token: app.applicationToken },
    });
  }
  app.applicationToken = '';
  for (const tokens of [auth.accessTokens, auth.refreshTokens]) {
    for (const [token, record] of tokens) if (record.clientId === clientId) tokens.delete(token);
  }
  auth.bindings = auth.bindings.filter((b) => b.clientId !== clientId);
  for (const bot of [...data.bots.values()]) {
    if (bot.owner.kind !== 'app' || bot.owner.clientId !== clientId) continue;
    data.bots.delete(bot.id);
    data.botQueues.delete(bot.id);
    for (const [id, c] of data.commands) if (c.botId === bot.id) data.commands.delete(id);
    const user = data.users.get(bot.id);
    if (user) user.active = false;
  }
  touch(ctx);
}
