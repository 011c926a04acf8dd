import { listSupportDepartments } from '../tickets/store/employee-repo.js';
import { getState } from '../tickets/store/state-repo.js';
import type { BotDeps } from './bot-deps.js';
import { send, type Effect } from './effects.js';
import { loadTicketCards } from './load-ticket-cards.js';
import { renderDispatchMessage } from './render-dispatch-message.js';
import { recordEffects, runEffects } from './run-effects.js';
import { TEXTS } from './texts.js';

/** How many dispatch chats were made so far (state key): each new one is told about its tickets once. */
export const DISPATCH_GENERATION = 'bot.dispatch-generation';

/**
 * Posts every open unassigned ticket whose dispatch card is in another dialog (a chat that
 * was deleted, the chat of a bot that was removed) to the current dispatch dialog, and tells
 * the dispatchers once per dialog what happened. Each card moves in the same transaction that
 * records its post, so a second run (another worker, a replay) moves nothing twice.
 */
export async function redispatchOpenTickets(deps: BotDeps, reason: 'bot' | 'chat' | null, batch = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const decided = await deps.db.transaction(async (tx) => {
      const dialogId = deps.settings.dispatchDialog;
      const rows = await tx.query<{ ticket_id: number }>(
        `select p.ticket_id from bot_posts p join tickets t on t.id = p.ticket_id
          where p.role = 'dispatch' and t.status = 'new' and p.dialog_id <> $1
          order by t.created_at, t.id limit $2 for update of p skip locked`, [dialogId, batch]);
      const generation = (await getState<number>(tx, DISPATCH_GENERATION)) ?? 0;
      const noticeKey = `healed-g${generation}-${dialogId}`;
      const [told] = await tx.query('select 1 from bot_events where event_key = $1', [noticeKey]);
      let notice: Effect[] = [];
      if (!told && (reason || rows.length > 0)) {
        const [{ n }] = await tx.query<{ n: number }>(`select count(*)::int as n from bot_posts p join tickets t on t.id = p.ticket_id
          where p.role = 'dispatch' and t.status = 'new' and p.dialog_id <> $1`, [dialogId]);
        notice = [send(dialogId, noticeText(deps, reason, n))];
      }
      if (notice.length) await recordEffects(tx, noticeKey, notice, deps.now());
      if (rows.length === 0) return { noticeKey, notice, cards: [] as Effect[], key: '' };
      const ids = rows.map((r) => r.ticket_id);
      await tx.query(`update bot_posts set dialog_id = $2, message_id = null where role = 'dispatch' and ticket_id = any($1::bigint[])`, [ids, dialogId]);
      const departments = (await listSupportDepartments(tx)).map((d) => ({ id: d.id, name: d.name }));
      const cards = (await loadTicketCards(tx, ids, deps.settings.publicUrl)).map((c) => {
        const r = renderDispatchMessage(c.card, departments, deps.settings.language);
        return send(dialogId, r.text, r.keyboard, { post: { ticketId: c.ticket.id, role: 'dispatch' } });
      });
      // A ticket moves to a dialog once, so the first ticket names this batch uniquely.
      const key = `redispatch-g${generation}-${dialogId}-${ids[0]}`;
      await recordEffects(tx, key, cards, deps.now());
      return { noticeKey, notice, cards, key };
    });
    if (decided.notice.length) await runEffects(deps, decided.noticeKey, decided.notice);
    if (decided.cards.length === 0) return moved;
    await runEffects(deps, decided.key, decided.cards, { parallel: true });
    moved += decided.cards.length;
  }
}

function noticeText(deps: BotDeps, reason: 'bot' | 'chat' | null, count: number): string {
  const x = TEXTS[deps.settings.language];
  return [reason === 'bot' ? x.healedBot : x.healedChat, count > 0 ? x.healedReposted(count) : x.healedNothingOpen].join('\n');
}
