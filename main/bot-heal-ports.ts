import type { Config } from '../config/load-config.js';
import type { CoreServices } from './services.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { addGroupChat, registerBot, registerCommand, type RegisteredBot } from '../connectors/bitrix24/imbot.js';
import { getState, setState } from '../tickets/store/state-repo.js';
import { forgetDispatchDialog } from '../tickets/store/bot-state-repo.js';
import { DISPATCH_GENERATION } from '../bot/redispatch-open-tickets.js';
import { BUTTON_COMMAND } from '../bot/button-codec.js';
import { PANEL_COMMAND, TYPED_COMMANDS } from '../bot/handle-command.js';
import { PANEL_TEXTS } from '../bot/texts.js';
import { REPORT_COMMAND } from '../bot/render-report-review.js';
import { PLAN_COMMAND } from '../bot/render-plan-request.js';
import { CABINET_TEXTS, TEXTS } from '../bot/texts.js';
import { INVITE_COMMAND } from '../bot/invite-command.js';
import type { HealPorts } from '../bot/bot-healer.js';

/**
 * What registering the bot and finding its dispatch chat mean here; the healer calls them at
 * start and again whenever the portal has lost the bot or the chat.
 */
/** A bot as this process registered it, with when it asked (see dispatchDialog). */
type AskedBot = RegisteredBot & { askedAt?: Date };

export function botHealPorts(config: Config, core: CoreServices, b24: B24Port): HealPorts {
  const c = config.bitrix24;
  if (c.mode === 'off') throw new Error('bitrix24 is off');
  return {
    async register(): Promise<AskedBot> {
      // The database's clock: the one clock every worker process shares.
      const [{ now: askedAt }] = await core.db.query<{ now: Date }>('select now() as now');
      const bot = await registerBot(b24, c.bot, c.mode === 'webhook' ? { botToken: c.botToken } : { webhookUrl: `${c.publicUrl}/b24/events` });
      // Buttons are clicks on a hidden command; it must be registered or clicks go nowhere.
      await registerCommand(b24, bot, BUTTON_COMMAND);
      for (const command of TYPED_COMMANDS) {
        await registerCommand(b24, bot, command, { ru: TEXTS.ru.commandTitles[command], en: TEXTS.en.commandTitles[command] });
      }
      await registerCommand(b24, bot, PANEL_COMMAND, { ru: PANEL_TEXTS.ru.panelTitle, en: PANEL_TEXTS.en.panelTitle });
      // The report review's buttons click a hidden command of their own (see render-report-review.ts).
      await registerCommand(b24, bot, REPORT_COMMAND);
      // "Взять в работу" on a client's plan change request (see render-plan-request.ts).
      await registerCommand(b24, bot, PLAN_COMMAND);
      // Account managers invite their clients' people to the cabinet (see invite-command.ts).
      await registerCommand(b24, bot, INVITE_COMMAND, { ru: CABINET_TEXTS.ru.inviteTitle, en: CABINET_TEXTS.en.inviteTitle });
      // Task comments reach us as the webhook user's own events (see run-bitrix24.ts); a reset portal forgets the subscription too.
      if (c.mode === 'webhook') await b24.call('im.v2.Event.subscribe', {});
      // A new bot that happens to have an old id (a portal started over) starts reading its events from the beginning.
      if (bot.fresh) await setState(core.db, `b24.events.cursor.${bot.botId}`, null);
      return { ...bot, askedAt };
    },
    dispatchDialog: (bot, dead) => dispatchDialog(config, core, b24, bot, dead),
  };
}

/**
 * The dispatch chat: the configured one, or one we created for BOT_DISPATCHERS. A new one is
 * made when we know none, when the known one is `dead`, or when the bot is new to the portal
 * (it cannot be in a chat we remember) — unless the chat we know was recorded after this process
 * asked for the bot: a sibling that met the same new bot at the same start made it for this bot.
 * Each new chat has its own generation in the call's idempotency key, so workers that decide
 * at once make one chat (the call queue answers the same key once), and a later heal makes another.
 */
async function dispatchDialog(config: Config, core: CoreServices, b24: B24Port, bot: AskedBot, dead: string | null): Promise<string> {
  if (config.bot.dispatchDialog) return config.bot.dispatchDialog;
  const key = `bot.dispatch-dialog.${bot.botId}`;
  // One statement, one snapshot: the chat we know and its generation belong together.
  const [seen] = await core.db.query<{ known: string | null; written_at: Date | null; generation: number | null }>(
    `select (select value from connector_state where key = $1) #>> '{}' as known,
            (select updated_at from connector_state where key = $1) as written_at,
            (select value from connector_state where key = $2)::int as generation`, [key, DISPATCH_GENERATION]);
  const known = seen.known;
  const madeForThisBot = !bot.fresh || (bot.askedAt !== undefined && seen.written_at !== null && seen.written_at >= bot.askedAt);
  if (known && known !== dead && madeForThisBot) return known;
  const generation = seen.generation ?? 0;
  const dialogId = await addGroupChat(b24, bot, TEXTS[config.defaultLanguage].dispatchChatTitle, config.bot.dispatchers,
    `${key}.g${generation + 1}`);
  return core.db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [key]);
    // A sibling that decided at the same moment got this same chat (same key) and recorded it
    // already, or a later heal recorded a newer one: theirs stands. The generation tells, not
    // the chat's id: a portal that started over hands out the old ids again.
    if (((await getState<number>(tx, DISPATCH_GENERATION)) ?? 0) > generation) return (await getState<string>(tx, key)) ?? dialogId;
    // A chat made just now holds none of our cards: any card said to be in a chat of that id
    // (or in the chat it replaces) was posted on a portal that has since forgotten it.
    for (const gone of new Set([known, dead, dialogId])) if (gone) await forgetDispatchDialog(tx, gone);
    await setState(tx, key, dialogId);
    await setState(tx, DISPATCH_GENERATION, generation + 1);
    return dialogId;
  });
}
