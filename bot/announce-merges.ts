import { getEmployee } from '../tickets/store/employee-repo.js';
import { getPost } from '../tickets/store/bot-state-repo.js';
import type { Sql } from '../tickets/store/db.js';
import type { BotDeps } from './bot-deps.js';
import { send, update, type Effect } from './effects.js';
import { loadTicketCards, type TicketCard } from './load-ticket-cards.js';
import { renderMerged } from './render-dispatch-message.js';
import { recordEffects, runEffects } from './run-effects.js';
import { personOfEmployee } from './person-name.js';
import { TEXTS } from './texts.js';

/** A card still waiting for the portal's answer is waited for this long, then left as it is. */
const UNPOSTED_CARD_WAIT_MS = 10 * 60_000;

/**
 * Tells people about tickets the intake merged into another of the same thread
 * (tickets/merge-tickets.ts, `tickets.merge_pending`): the absorbed ticket's dispatch card and
 * its assignee's card say where it went and lose their buttons; its assignee is told in their
 * dialog who handles the thread now, and the survivor's assignee that more mail joined theirs.
 * Rows are taken with SKIP LOCKED, so several workers can run this at once.
 */
export async function announceMerges(deps: BotDeps, batch = 50): Promise<number> {
  const decided = await deps.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; merged_into: number; merged_at: Date }>(
      'select id, merged_into, merged_at from tickets where merge_pending order by id limit $1 for update skip locked', [batch]);
    if (rows.length === 0) return null;
    const cards = new Map((await loadTicketCards(tx, [...new Set(rows.flatMap((r) => [r.id, r.merged_into]))])).map((c) => [c.ticket.id, c]));
    const effects: Effect[] = [];
    const done: number[] = [];
    for (const r of rows) {
      const said = await mergeNotices(deps, tx, cards.get(r.id)!, cards.get(r.merged_into)!,
        deps.now().getTime() - r.merged_at.getTime() > UNPOSTED_CARD_WAIT_MS);
      if (!said) continue;
      effects.push(...said);
      done.push(r.id);
    }
    if (done.length === 0) return null;
    await tx.query('update tickets set merge_pending = false where id = any($1::bigint[])', [done]);
    const key = `merge-${done[0]}`;
    await recordEffects(tx, key, effects, deps.now());
    return { key, effects, taken: done.length };
  });
  if (!decided) return 0;
  await runEffects(deps, decided.key, decided.effects, { parallel: true });
  return decided.taken;
}

/** What to say about one merge, or null while one of its cards is still being posted. */
async function mergeNotices(deps: BotDeps, tx: Sql, absorbed: TicketCard, survivor: TicketCard, giveUpWaiting: boolean): Promise<Effect[] | null> {
  const dispatch = await getPost(tx, absorbed.ticket.id, 'dispatch');
  const specialist = await getPost(tx, absorbed.ticket.id, 'specialist');
  if (!giveUpWaiting && [dispatch, specialist].some((p) => p && p.messageId === null)) return null;
  const into = survivor.card.number;
  const effects: Effect[] = [];
  if (dispatch?.messageId) effects.push(update(dispatch.messageId, renderMerged(absorbed.card, into, deps.settings.language)));
  const owner = survivor.ticket.assigneeId ? await getEmployee(tx, survivor.ticket.assigneeId) : null;
  const before = absorbed.ticket.assigneeId ? await getEmployee(tx, absorbed.ticket.assigneeId) : null;
  if (before) {
    if (specialist?.messageId) effects.push(update(specialist.messageId, renderMerged(absorbed.card, into, before.language)));
    if (owner?.id !== before.id) {
      effects.push(send(String(before.b24UserId), TEXTS[before.language].yoursMerged(absorbed.card.number, into, owner ? personOfEmployee(owner) : null)));
    }
  }
  if (owner) effects.push(send(String(owner.b24UserId), TEXTS[owner.language].mergedIntoYours(absorbed.card.number, into)));
  return effects;
}
