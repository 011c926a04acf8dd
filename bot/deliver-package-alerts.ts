import { claimPackageAlert, listPendingPackageAlerts } from '../reports/package-alerts.js';
import type { BotDeps } from './bot-deps.js';
import { send } from './effects.js';
import { renderPackageAlert } from './render-report-review.js';
import { applyOnce } from './run-effects.js';

/**
 * Tells account managers about recorded package alerts (80 % and 100 % of a client's hours),
 * one message each, ever. Each alert is claimed (marked notified) in the transaction that
 * records its message, and the message goes out after the commit under the key `alert-<id>`,
 * so a crash replays it with the same key instead of losing or doubling it. Alerts of a
 * client without an account manager wait until one is named.
 */
export async function deliverPackageAlerts(deps: BotDeps, limit = 50): Promise<number> {
  const pending = await listPendingPackageAlerts(deps.db, { withManager: true, limit });
  let sent = 0;
  for (const { id } of pending) {
    // Two ticks at once (two processes) on the same alert: applyOnce lets the second pass quietly.
    await applyOnce(deps, `alert-${id}`, async (tx) => {
      const alert = await claimPackageAlert(tx, id, deps.now());
      if (!alert?.accountManager) return [];
      sent++;
      const r = renderPackageAlert(alert, alert.accountManager.language);
      return [send(alert.accountManager.b24UserId, r.text, r.keyboard)];
    });
  }
  return sent;
}
