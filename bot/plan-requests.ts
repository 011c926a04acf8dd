import type { Sql } from '../tickets/store/db.js';
import { recordAudit } from '../tickets/store/audit-repo.js';
import { ensureEmployee } from '../tickets/store/employee-repo.js';
import type { Language } from '../tickets/types.js';
import type { BotDeps } from './bot-deps.js';
import { send, update } from './effects.js';
import type { BotInput } from './read-bot-event.js';
import { decodePlanButton, renderPlanRequest, type PlanRequestCard, type PlanTerms } from './render-plan-request.js';
import { personOf, personOfEmployee, type Person } from './person-name.js';
import { applyOnce } from './run-effects.js';
import { CABINET_TEXTS } from './texts.js';

interface PlanRequestRow {
  card: PlanRequestCard;
  notified: boolean;
  takenBy: Person | null;
  /** The account manager's Bitrix24 id and language; null: nobody, the dispatch chat is told. */
  manager: { b24UserId: string; language: Language } | null;
}

/** One request, its row locked for this transaction. */
async function lockPlanRequest(tx: Sql, id: number): Promise<PlanRequestRow | null> {
  const [r] = await tx.query<Record<string, unknown>>(`select p.id, c.company, u.name as requester_name, u.email as requester_email, p.terms, p.text,
      p.notified_at, e.b24_user_id as manager_b24, e.language as manager_language, te.name as taken_by_name, te.gender as taken_by_gender
    from plan_change_requests p join clients c on c.id = p.client_id join portal_users u on u.id = p.portal_user_id
    left join contracts k on k.id = p.contract_id left join employees e on e.id = k.account_manager_id and e.active
    left join employees te on te.id = p.taken_by
    where p.id = $1 for update of p`, [id]);
  if (!r) return null;
  const manager = r.manager_b24 ? { b24UserId: r.manager_b24 as string, language: r.manager_language as Language } : null;
  return {
    card: {
      id: r.id as number, company: r.company as string, requester: { name: r.requester_name as string, email: r.requester_email as string },
      terms: (r.terms as PlanTerms | null) ?? null, text: r.text as string, toDispatch: manager === null,
    },
    notified: r.notified_at !== null, takenBy: r.taken_by_name ? personOf(r.taken_by_name as string, r.taken_by_gender as string | null) : null, manager,
  };
}

/**
 * Tells each new "change plan" request to the contract's account manager (privately, in their
 * language), or to the dispatch chat when the client has none. Claimed (notified_at) in the
 * transaction that records the message, which goes out after the commit under `plan-<id>`: a
 * crash replays it with the same key instead of losing or doubling it. Called from the bot's tick.
 */
export async function deliverPlanRequests(deps: BotDeps, limit = 50): Promise<number> {
  const pending = await deps.db.query<{ id: number }>('select id from plan_change_requests where notified_at is null order by id limit $1', [limit]);
  let sent = 0;
  for (const { id } of pending) {
    try {
      await applyOnce(deps, `plan-${id}`, async (tx) => {
        const r = await lockPlanRequest(tx, id);
        if (!r || r.notified) return [];
        await tx.query('update plan_change_requests set notified_at = $2 where id = $1', [id, deps.now()]);
        sent++;
        const m = renderPlanRequest(r.card, r.manager?.language ?? deps.settings.language);
        return [send(r.manager?.b24UserId ?? deps.settings.dispatchDialog, m.text, m.keyboard)];
      });
    } catch (err) {
      deps.log.warn({ request: id, err: (err as Error).message }, 'plan change request not delivered this round');
    }
  }
  return sent;
}

/**
 * "Взять в работу" (a `plan` command event): the first click takes the request, recorded and
 * audited, and the message then names who took it, without the button; a later click is told
 * who has it. Applied once per event under the request's row lock.
 */
export async function handlePlanButton(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const id = decodePlanButton(input.command?.params ?? '');
  const user = input.user;
  if (id === null || !user) {
    deps.log.warn({ params: input.command?.params, key }, 'ignored a click that is not one of our plan buttons');
    return;
  }
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    const r = await lockPlanRequest(tx, id);
    if (!r) return [];
    const x = CABINET_TEXTS[actor.language];
    if (r.takenBy) return [send(String(actor.b24UserId), x.alreadyTaken(r.takenBy))];
    const now = deps.now();
    await tx.query('update plan_change_requests set taken_by = $2, taken_at = $3 where id = $1', [id, actor.id, now]);
    await recordAudit(tx, { ticketId: null, actor: `employee:${actor.id}`, channel: 'bot', action: 'plan_request_taken', at: now, details: { requestId: id } });
    const lang = r.manager?.language ?? deps.settings.language;
    const at = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: deps.settings.timeZone }).format(now);
    return [update(input.messageId, renderPlanRequest(r.card, lang, { by: personOfEmployee(actor), at }))];
  });
}
