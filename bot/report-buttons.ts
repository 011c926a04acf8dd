import type { Sql } from '../tickets/store/db.js';
import { ensureEmployee } from '../tickets/store/employee-repo.js';
import type { Language } from '../tickets/types.js';
import { approveAllReports } from '../reports/approve-report.js';
import { claimMonthReview, isMonthReviewer, listMonthsToReview } from '../reports/report-runs.js';
import { listMonthReports, summarizeMonth } from '../reports/summarize-month.js';
import type { BotDeps } from './bot-deps.js';
import { send, update, type Effect } from './effects.js';
import type { BotInput } from './read-bot-event.js';
import { decodeReportButton, renderReportList, renderReviewMessage, reviewTexts } from './render-report-review.js';
import { applyOnce } from './run-effects.js';

/** A review older than this is not sent late (e.g. reviewers named for the first time long after). */
const REVIEW_FRESH_MS = 7 * 86_400_000;

async function languagesOf(sql: Sql, b24UserIds: readonly number[]): Promise<Map<number, Language>> {
  const rows = await sql.query<{ b24_user_id: string; language: Language }>(
    'select b24_user_id, language from employees where b24_user_id = any($1::text[])', [b24UserIds.map(String)]);
  return new Map(rows.map((r) => [Number(r.b24_user_id), r.language]));
}

/**
 * Once a month's drafting has finished (its last draft batch is done), each reviewer gets the
 * summary with "Approve all" and "List", once: the run is claimed in the transaction that
 * records the messages, which go out after the commit. Called from the bot's tick.
 */
export async function sendReportReviews(deps: BotDeps, reviewers: readonly number[]): Promise<number> {
  if (reviewers.length === 0) return 0;
  const now = deps.now();
  const months = await listMonthsToReview(deps.db, new Date(now.getTime() - REVIEW_FRESH_MS));
  let sent = 0;
  for (const month of months) {
    // The claim makes a second tick's try a no-op; a real failure goes to the tick's error boundary.
    await applyOnce(deps, `review-${month}-${now.getTime()}`, async (tx): Promise<Effect[]> => {
      if (!(await claimMonthReview(tx, month, reviewers, now))) return [];
      const summary = await summarizeMonth(tx, month);
      const languages = await languagesOf(tx, reviewers);
      sent++;
      return reviewers.map((id) => {
        const r = renderReviewMessage(summary, languages.get(id) ?? deps.settings.language);
        return send(String(id), r.text, r.keyboard);
      });
    });
  }
  return sent;
}

/**
 * A click on a review button (an `rpt` command event). "Approve all" approves every report
 * of the month that has no problems, in this event's transaction; the reports worker then
 * publishes what is approved (mails the PDFs). Held reports stay drafts and are named.
 * "List" answers with every client's report. Only the month's reviewers may use them.
 */
export async function handleReportButton(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const payload = decodeReportButton(input.command?.params ?? '');
  const user = input.user;
  if (!payload || !user) {
    deps.log.warn({ params: input.command?.params, key }, 'ignored a click that is not one of our report buttons');
    return;
  }
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    const lang = actor.language;
    const dm = String(actor.b24UserId);
    if (!(await isMonthReviewer(tx, payload.month, actor.b24UserId))) return [send(dm, reviewTexts(lang).notReviewer)];
    if (payload.action === 'list') {
      const r = renderReportList(payload.month, await listMonthReports(tx, payload.month), lang);
      return [send(dm, r.text, r.keyboard)];
    }
    const result = await approveAllReports(tx, payload.month, `employee:${actor.id}`, deps.now());
    deps.log.info({ month: payload.month, by: actor.id, approved: result.approved.length, held: result.held.length }, 'reports approved from the bot');
    const companies = await tx.query<{ company: string }>('select company from clients where id = any($1::bigint[]) order by company',
      [result.held.map((r) => r.clientId)]);
    const r = renderReviewMessage(await summarizeMonth(tx, payload.month), lang,
      { approved: result.approved.length, held: companies.map((c) => c.company) });
    return [update(input.messageId, r)];
  });
}
