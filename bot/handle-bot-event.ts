import type { BotDeps } from './bot-deps.js';
import { botErrorBoundary, type BotEventContext } from './bot-error-boundary.js';
import { BUTTON_COMMAND } from './button-codec.js';
import { checkEscalations, handleTaskChatMessage, handleTaskCommentEvent } from './escalation-updates.js';
import { handleButton } from './handle-button.js';
import { handleCommand } from './handle-command.js';
import { handleText } from './handle-text.js';
import { readBotEvent } from './read-bot-event.js';
import { runRecordedEffects } from './run-effects.js';

/** Not Bitrix24's: the operator panel hands over what the bot must say after a panel action (key in data). */
export const PANEL_EFFECTS_EVENT = 'MODEST_PANEL_EFFECTS';
import { handleReportButton } from './report-buttons.js';
import { REPORT_COMMAND } from './render-report-review.js';
import { handlePlanButton } from './plan-requests.js';
import { PLAN_COMMAND } from './render-plan-request.js';
import { handleInviteCommand, INVITE_COMMAND } from './invite-command.js';

/**
 * Handles one incoming Bitrix24 event (pulled or pushed) inside the bot's error boundary. `key`
 * is the event's own id: handling the same event twice changes nothing the second time.
 */
export async function handleBotEvent(deps: BotDeps, key: string, type: string, data: Record<string, unknown>): Promise<void> {
  await botErrorBoundary(deps, eventContext(key, type, data), () => routeBotEvent(deps, key, type, data));
}

/** Who and where, for the log: enough to find the click or message, nothing of its text. */
function eventContext(key: string, type: string, data: Record<string, unknown>): BotEventContext {
  const input = readBotEvent(type, data);
  if (!input) return { key, type };
  return {
    key, type, dialogId: input.dialogId, messageId: input.messageId,
    ...(input.user ? { userId: input.user.b24Id } : {}), ...(input.command ? { command: `${input.command.name} ${input.command.params}`.trim() } : {}),
  };
}

/** What the event means for us. */
async function routeBotEvent(deps: BotDeps, key: string, type: string, data: Record<string, unknown>): Promise<void> {
  if (type === 'ONTASKUPDATE') {
    const after = (data.FIELDS_AFTER ?? {}) as Record<string, unknown>;
    if (after.ID) await checkEscalations(deps, Number(after.ID));
    return;
  }
  if (type === 'ONTASKCOMMENTADD') return handleTaskCommentEvent(deps, data);
  if (type === PANEL_EFFECTS_EVENT) return runRecordedEffects(deps, String(data.key));
  // issue 12: a pushed event names its bot; one for another bot of the portal is not ours.
  const bot = data.bot && typeof data.bot === 'object' ? (data.bot as Record<string, unknown>) : null;
  if (bot?.id !== undefined && Number(bot.id) !== deps.bot.botId) {
    deps.log.info({ type, botId: String(bot.id).slice(0, 20) }, 'ignored an event for another bot');
    return;
  }
  const input = readBotEvent(type, data);
  if (!input?.user || input.user.isBot) return;
  if (type === 'ONIMV2MESSAGEADD') return handleTaskChatMessage(deps, key, input);
  if (type === 'ONIMBOTV2COMMANDADD' && input.command?.name === REPORT_COMMAND) return handleReportButton(deps, key, input);
  if (type === 'ONIMBOTV2COMMANDADD' && input.command?.name === PLAN_COMMAND) return handlePlanButton(deps, key, input);
  if (type === 'ONIMBOTV2COMMANDADD' && input.command?.name === INVITE_COMMAND) return handleInviteCommand(deps, key, input);
  if (type === 'ONIMBOTV2COMMANDADD' && input.command) {
    return input.command.name === BUTTON_COMMAND ? handleButton(deps, key, input) : handleCommand(deps, key, input);
  }
  if (type === 'ONIMBOTV2MESSAGEADD' && !input.isSystem && input.text.trim()) return handleText(deps, key, input);
}
