import type { BotDeps } from '../bot/bot-deps.js';
import { ANNOUNCE_BATCH, announceInbound } from '../bot/announce-inbound.js';
import { announceMerges } from '../bot/announce-merges.js';
import { remindRound } from '../bot/remind.js';
import { checkEscalations } from '../bot/escalation-updates.js';
import { replayUnfinished } from '../bot/run-effects.js';
import { deliverPackageAlerts } from '../bot/deliver-package-alerts.js';
import { sendReportReviews } from '../bot/report-buttons.js';
import { deliverPlanRequests } from '../bot/plan-requests.js';
import { botErrorBoundary } from '../bot/bot-error-boundary.js';

export const BOT_TICK = 'bot-tick';
/** An extra tick asked for by the ingest worker after it committed mail; one waits at most (fixed job id). */
export const BOT_WAKE = 'bot-wake';

export interface BotTickOptions {
  /** How often the slower chores run: escalation tasks' status, replay of cut-short effects, housekeeping. */
  slowEveryMs: number;
  /** Re-reads the staff directory (departments and people) this often. */
  syncEveryMs: number;
  syncDirectory(): Promise<unknown>;
  /** Bitrix24 ids of quality control: they get each month's report review. */
  reportReviewers?: readonly number[];
}

/**
 * A burst of new mail is announced within one tick, a batch at a time, rather than a batch per
 * tick; bounded, so the reminders and the rest of the tick still come round.
 */
async function announceAll(deps: BotDeps, most = 10 * ANNOUNCE_BATCH): Promise<number> {
  let announced = 0;
  for (;;) {
    const n = await announceInbound(deps);
    announced += n;
    if (n < ANNOUNCE_BATCH || announced >= most) return announced;
  }
}

/**
 * One scheduled tick of the bot: announce new mail, send the reminders that are due, and now
 * and then look at escalation tasks and finish effects a crash cut short. Everything it does
 * is decided from the database, so a tick lost to a restart is made up by the next. Each chore
 * runs in the bot's error boundary: one that fails is logged and judged, the others still run,
 * and the next tick is its retry.
 */
export function makeBotTick(deps: BotDeps, o: BotTickOptions) {
  let lastSlow = 0;
  let lastSync = Date.now();
  const chore = async (name: string, run: () => Promise<number | unknown>): Promise<number> => {
    let result = 0;
    await botErrorBoundary(deps, { key: `tick.${name}`, type: 'tick' }, async () => {
      const r = await run();
      result = typeof r === 'number' ? r : 0;
    }, { retryBy: 'next_tick' });
    return result;
  };
  return async () => {
    const announced = await chore('announce', () => announceAll(deps));
    const merges = await chore('merges', () => announceMerges(deps));
    const reminders = await chore('remind', () => remindRound(deps));
    const alerts = await chore('package-alerts', () => deliverPackageAlerts(deps));
    const reviews = await chore('report-reviews', () => sendReportReviews(deps, o.reportReviewers ?? []));
    const planRequests = await chore('plan-requests', () => deliverPlanRequests(deps));
    const now = Date.now();
    if (now - lastSlow >= o.slowEveryMs) {
      lastSlow = now;
      await chore('escalations', () => checkEscalations(deps));
      await chore('replay', () => replayUnfinished(deps, 60_000));
      await chore('housekeeping', () => deps.db.query(`delete from bot_events where done_at < $1`, [new Date(now - 14 * 86_400_000)]));
    }
    if (now - lastSync >= o.syncEveryMs) {
      lastSync = now;
      await chore('directory-sync', () => o.syncDirectory());
    }
    return { announced, merges, reminders, alerts, reviews, planRequests };
  };
}
