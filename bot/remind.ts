import type { Sql } from '../tickets/store/db.js';
import { listSupportDepartments } from '../tickets/store/employee-repo.js';
import { lockReminder, markReminderSent, type ReminderKind } from '../tickets/store/bot-state-repo.js';
import type { Language } from '../tickets/types.js';
import type { BotDeps, BotSettings } from './bot-deps.js';
import { send, type Effect } from './effects.js';
import { loadTicketCards } from './load-ticket-cards.js';
import type { RenderedMessage } from './render-dispatch-message.js';
import { renderMissingTimeReminder, renderUnassignedReminder, type ReminderFocus } from './render-reminders.js';
import { applyOnce } from './run-effects.js';
import { isWorkingTime } from './working-hours.js';

/**
 * The unassigned reminder as it stands now: every waiting ticket counted, the oldest listed
 * with their buttons. Also re-rendered when someone clicks in it.
 */
export async function buildUnassignedReminder(sql: Sql, s: BotSettings, now: Date,
  focus?: ReminderFocus, opts: { lockListed?: boolean } = {}): Promise<RenderedMessage & { total: number }> {
  // A round locks what it lists: a click assigning one of them meanwhile is waited for, and the
  // ticket it took is then no longer 'new', so a fresh reminder never lists a taken ticket.
  const ids = (await sql.query<{ id: number }>(`select id from tickets where status = 'new' order by created_at, id limit $1
    ${opts.lockListed ? 'for update' : ''}`, [s.reminderListSize])).map((r) => r.id);
  const [{ total }] = await sql.query<{ total: number }>(`select count(*)::int as total from tickets where status = 'new'`);
  const cards = await loadTicketCards(sql, ids);
  const departments = (await listSupportDepartments(sql)).map((d) => ({ id: d.id, name: d.name }));
  const items = cards.map((c) => ({ card: c.card, waitingMinutes: Math.max(0, Math.floor((now.getTime() - c.ticket.createdAt.getTime()) / 60_000)) }));
  return { ...renderUnassignedReminder(items, total, departments, s.language, focus), total };
}

async function buildMissingTimeReminder(sql: Sql, s: BotSettings, assigneeId: number, lang: Language): Promise<RenderedMessage> {
  const [{ total }] = await sql.query<{ total: number }>(
    `select count(*)::int as total from tickets where status = 'awaiting_time' and assignee_id = $1`, [assigneeId]);
  const ids = (await sql.query<{ id: number }>(
    `select id from tickets where status = 'awaiting_time' and assignee_id = $1 order by closed_at, id limit $2`, [assigneeId, s.reminderListSize])).map((r) => r.id);
  const cards = await loadTicketCards(sql, ids);
  return renderMissingTimeReminder(cards.map((c) => c.card), total, lang);
}

/**
 * One reminder round, driven by the database: the dispatch chat about unassigned tickets,
 * and each assignee about tickets they closed without time. A reminder goes out when the
 * last one in that dialog is an interval old and something has waited an interval; it
 * replaces the previous one, so a backlog of any size costs two calls per dialog per round.
 */
export async function remindRound(deps: BotDeps): Promise<number> {
  const s = deps.settings;
  const now = deps.now();
  if (!isWorkingTime(s.workingHours, now, s.timeZone)) return 0;
  const dueBefore = new Date(now.getTime() - s.remindIntervalMs);
  const rounds: Array<Promise<boolean>> = [];
  const [unassigned] = await deps.db.query<{ n: number }>(`select count(*)::int as n from tickets where status = 'new' and created_at <= $1`, [dueBefore]);
  if (unassigned.n > 0) {
    rounds.push(remindIfDue(deps, 'unassigned', s.dispatchDialog, dueBefore, now, (tx) => buildUnassignedReminder(tx, s, now, undefined, { lockListed: true })));
  }
  const assignees = await deps.db.query<{ id: number; b24_user_id: string; language: Language }>(
    `select distinct e.id, e.b24_user_id, e.language from tickets t join employees e on e.id = t.assignee_id
      where t.status = 'awaiting_time' and t.closed_at <= $1`, [dueBefore]);
  for (const a of assignees) {
    rounds.push(remindIfDue(deps, 'missing_time', a.b24_user_id, dueBefore, now, (tx) => buildMissingTimeReminder(tx, s, a.id, a.language)));
  }
  return (await Promise.all(rounds)).filter(Boolean).length;
}

async function remindIfDue(deps: BotDeps, kind: ReminderKind, dialogId: string, dueBefore: Date, now: Date,
  build: (tx: Sql) => Promise<RenderedMessage>): Promise<boolean> {
  // A cheap look first, so an idle round writes nothing.
  const [last] = await deps.db.query<{ sent_at: Date }>('select sent_at from bot_reminders where kind = $1 and dialog_id = $2', [kind, dialogId]);
  if (last && last.sent_at > dueBefore) return false;
  let sent = false;
  await applyOnce(deps, `remind-${kind}-${dialogId}-${now.getTime()}`, async (tx): Promise<Effect[]> => {
    const reminder = await lockReminder(tx, kind, dialogId);
    if (reminder && reminder.sentAt > dueBefore) return [];
    const rendered = await build(tx);
    await markReminderSent(tx, kind, dialogId, now);
    sent = true;
    return [
      ...(reminder?.messageId ? [{ op: 'delete' as const, messageId: reminder.messageId }] : []),
      send(dialogId, rendered.text, rendered.keyboard, { reminder: { kind, sentAt: now.toISOString() } }),
    ];
  });
  return sent;
}
