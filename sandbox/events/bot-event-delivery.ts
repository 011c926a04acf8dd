import { restEndpoint, type PortalContext } from '../portal-context.js';
import type { BotRecord } from '../portal-state.js';
import { appAuthBlock } from '../auth/oauth-tokens.js';
import { botView } from '../messenger/views.js';
import { unixSeconds } from '../bitrix-date.js';
import { enqueueBotEvent } from './event-queue.js';

/**
 * Hands an ONIMBOTV2* event to its bot: queued as typed JSON for `eventMode: fetch`, or POSTed
 * form-encoded to the bot's webhookUrl for `eventMode: webhook` (imbot.v2/events/events.md).
 */
export function deliverBotEvent(
  ctx: PortalContext,
  bot: BotRecord,
  type: string,
  body: Record<string, unknown>,
  actingUserId: number,
): void {
  const language = ctx.config.language;
  if (bot.eventMode === 'fetch') {
    enqueueBotEvent(ctx, bot.id, type, { bot: botView(ctx, bot), ...body, language });
    return;
  }
  const applicationToken = botApplicationToken(ctx, bot);
  ctx.pushes.enqueue(bot.webhookUrl, type, {
    event: type,
    data: { bot: { id: bot.id, code: bot.code, auth: botAuth(ctx, bot, actingUserId) }, ...body, language },
    ts: unixSeconds(ctx.now()),
    // the documented v2 envelope: top-level auth carries the token to verify (events.md#webhook-payload)
    auth: { domain: ctx.config.domain, client_endpoint: restEndpoint(ctx), server_endpoint: restEndpoint(ctx),
      member_id: ctx.config.memberId, application_token: applicationToken },
  });
}

/**
 * A webhook-registered bot has no app; its subscriptions are bound to its botToken, which
 * acts as the APPLICATION_TOKEN (bot-update.md, token rotation). UNCONFIRMED beyond that page.
 */
export function botApplicationToken(ctx: PortalContext, bot: BotRecord): string {
  if (bot.owner.kind === 'webhook') return bot.owner.botToken;
  return ctx.state.auth.apps.get(bot.owner.clientId)?.applicationToken ?? '';
}

// reference §2: the bot's auth block has no refresh_token and its user_id is the acting user
function botAuth(ctx: PortalContext, bot: BotRecord, actingUserId: number): Record<string, unknown> {
  const app = bot.owner.kind === 'app' ? ctx.state.auth.apps.get(bot.owner.clientId) : undefined;
  if (app) {
    const { refresh_token: _dropped, ...auth } = appAuthBlock(ctx, app, actingUserId);
    return auth;
  }
  return {
    domain: ctx.config.domain,
    client_endpoint: restEndpoint(ctx),
    server_endpoint: restEndpoint(ctx),
    member_id: ctx.config.memberId,
    user_id: String(actingUserId),
    application_token: botApplicationToken(ctx, bot),
  };
}
