import { ensureEmployee, getEmployee, listSupportDepartments } from '../tickets/store/employee-repo.js';
import { findTicketByNumber } from '../tickets/store/ticket-repo.js';
import type { Sql } from '../tickets/store/db.js';
import type { Employee } from '../tickets/store/employee-repo.js';
import type { BotDeps } from './bot-deps.js';
import { send, type Effect } from './effects.js';
import { loadTicketCard, loadTicketCards } from './load-ticket-cards.js';
import type { BotInput } from './read-bot-event.js';
import { escapeBb, renderDispatchMessage, summary } from './render-dispatch-message.js';
import { renderTicketList } from './render-reminders.js';
import { renderSpecialistCard } from './render-specialist-card.js';
import { buildUnassignedReminder } from './remind.js';
import { applyOnce } from './run-effects.js';
import { PANEL_TEXTS, TEXTS } from './texts.js';

/** `/panel [1042]`: a sign-in link to the operator panel (issue 15), registered beside the typed commands. */
export const PANEL_COMMAND = 'panel';

/** Always in the person's own dialog: only there is the link signed for them (bot/panel-links.ts). */
function panelLink(deps: BotDeps, actor: Employee, params: string): Effect[] {
  const number = Number(/\d{1,12}/.exec(params)?.[0]);
  const minutes = Math.round((deps.panelLinks?.lifetimeMs ?? 0) / 60_000);
  const x = PANEL_TEXTS[actor.language];
  return [send(String(actor.b24UserId), number ? x.panelTicketLink(number, minutes) : x.panelLink(minutes))];
}

/** The commands people type; registered visible, with titles in both languages. */
export const TYPED_COMMANDS = ['ticket', 'my', 'unassigned', 'help'] as const;

const OPEN = ['assigned', 'in_progress', 'escalated', 'awaiting_time'];

/** `/ticket 1042`: the card with the buttons this person may use. */
async function ticketCard(tx: Sql, actor: Employee, params: string, dialogId: string): Promise<Effect[]> {
  const x = TEXTS[actor.language];
  const number = Number(/\d{1,12}/.exec(params)?.[0]);
  const ticket = number ? await findTicketByNumber(tx, number) : null;
  if (!ticket) return [send(dialogId, x.notFound(params || '?'))];
  const t = (await loadTicketCard(tx, ticket.id))!;
  if (ticket.status === 'new') {
    const r = renderDispatchMessage(t.card, (await listSupportDepartments(tx)).map((d) => ({ id: d.id, name: d.name })), actor.language);
    return [send(dialogId, r.text, r.keyboard)];
  }
  if (ticket.assigneeId === actor.id) {
    const r = renderSpecialistCard(t.card, ticket.status, actor.language);
    return [send(dialogId, r.text, r.keyboard)];
  }
  const assignee = ticket.assigneeId ? await getEmployee(tx, ticket.assigneeId) : null;
  return [send(dialogId, [summary(t.card, actor.language), x.statusLine(x.status[ticket.status]), ...(assignee ? [`→ ${escapeBb(assignee.name)}`] : [])].join('\n'))];
}

async function myTickets(tx: Sql, actor: Employee, dialogId: string): Promise<Effect[]> {
  const x = TEXTS[actor.language];
  const ids = (await tx.query<{ id: number }>(
    `select id from tickets where assignee_id = $1 and status = any($2::text[]) order by created_at, id limit 30`, [actor.id, OPEN])).map((r) => r.id);
  if (ids.length === 0) return [send(dialogId, x.noMyTickets)];
  const [{ total }] = await tx.query<{ total: number }>(
    `select count(*)::int as total from tickets where assignee_id = $1 and status = any($2::text[])`, [actor.id, OPEN]);
  const cards = await loadTicketCards(tx, ids);
  const r = renderTicketList(x.myTickets(total), cards.map((c) => ({ card: c.card, status: c.ticket.status })), actor.language);
  return [send(dialogId, r.text, r.keyboard)];
}

export async function handleCommand(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const user = input.user!;
  const command = input.command!;
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    switch (command.name) {
      case 'ticket': return ticketCard(tx, actor, command.params, input.dialogId);
      case 'my': return myTickets(tx, actor, input.dialogId);
      case PANEL_COMMAND: return panelLink(deps, actor, command.params);
      case 'unassigned': {
        const r = await buildUnassignedReminder(tx, { ...deps.settings, language: actor.language }, deps.now());
        return [send(input.dialogId, r.text, r.keyboard)];
      }
      default: return [send(input.dialogId, TEXTS[actor.language].help)];
    }
  });
}
