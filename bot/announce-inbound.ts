import { getEmployee, listSupportDepartments } from '../tickets/store/employee-repo.js';
import { getPost, reservePost } from '../tickets/store/bot-state-repo.js';
import type { BotDeps } from './bot-deps.js';
import { announceFailedMail } from './announce-failed-mail.js';
import { send, update, type Effect } from './effects.js';
import { loadTicketCards } from './load-ticket-cards.js';
import { attachmentsLine, escapeBb, renderDispatchMessage } from './render-dispatch-message.js';
import { renderSpecialistCard } from './render-specialist-card.js';
import { recordEffects, runEffects } from './run-effects.js';
import { openLink, TEXTS } from './texts.js';
import type { AttachmentMeta } from '../tickets/types.js';

/**
 * Tells people about mail the intake committed (messages marked `bot_pending`): a new ticket
 * goes to the dispatch chat with its department buttons; client mail on an assigned ticket
 * goes to the assignee, saying so when it reopened the ticket. Rows are taken with SKIP
 * LOCKED, so several workers can run this at once without doubling anything.
 */
export const ANNOUNCE_BATCH = 100;

export async function announceInbound(deps: BotDeps, batch = ANNOUNCE_BATCH): Promise<number> {
  const s = deps.settings;
  const decided = await deps.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; ticket_id: number; auto_kind: string | null; body_text: string | null; created_at: Date;
      direction: string; to_addresses: string[]; send_error: string | null; attachments: AttachmentMeta[] | null }>(
      `select id, ticket_id, auto_kind, body_text, created_at, direction, to_addresses, send_error, attachments from messages where bot_pending
        order by id limit $1 for update skip locked`, [batch]);
    if (rows.length === 0) return null;
    await tx.query('update messages set bot_pending = false where id = any($1::bigint[])', [rows.map((r) => r.id)]);
    const cards = new Map((await loadTicketCards(tx, [...new Set(rows.map((r) => r.ticket_id))])).map((c) => [c.ticket.id, c]));
    const departments = (await listSupportDepartments(tx)).map((d) => ({ id: d.id, name: d.name }));
    const effects: Effect[] = [];
    for (const m of rows) {
      const c = cards.get(m.ticket_id)!;
      if (m.direction === 'out') {
        effects.push(...await announceFailedMail(tx, c, { toAddresses: m.to_addresses, sendError: m.send_error }, departments, s.language));
        continue;
      }
      if (c.ticket.status === 'new') {
        if (await getPost(tx, c.ticket.id, 'dispatch')) continue; // a follow-up before anyone took it: the card is out already
        await reservePost(tx, c.ticket.id, 'dispatch', s.dispatchDialog);
        const r = renderDispatchMessage(c.card, departments, s.language);
        effects.push(send(s.dispatchDialog, r.text, r.keyboard, { post: { ticketId: c.ticket.id, role: 'dispatch' } }));
        continue;
      }
      // Auto-replies stay on the ticket quietly; closed tickets the client wrote to again are not reopened by an auto-reply either.
      if (m.auto_kind || !c.ticket.assigneeId || c.ticket.status === 'rejected') continue;
      const assignee = await getEmployee(tx, c.ticket.assigneeId);
      if (!assignee) continue;
      const x = TEXTS[assignee.language];
      const reopened = c.ticket.reopenedAt?.getTime() === m.created_at.getTime();
      const text = (m.body_text ?? '').replace(/\s+/g, ' ').trim();
      const files = (m.attachments ?? []).map((a) => ({ name: a.filename, size: a.size }));
      // The mail's own files, by name and size; the ticket's page (the link) has them to open.
      effects.push(send(String(assignee.b24UserId), [
        reopened ? x.reopened(c.card.number) : x.newMail(c.card.number),
        `[b]${escapeBb(c.card.subject)}[/b]`,
        ...(text ? [`>>${escapeBb(text.length > 600 ? `${text.slice(0, 599)}…` : text)}`] : []),
        ...(files.length > 0 ? [attachmentsLine(files, assignee.language)] : []),
        openLink(c.card.number, assignee.language),
      ].join('\n')));
      // The assignee's card said "closed": open again, it says so and offers its buttons again.
      const card = reopened && c.ticket.status === 'in_progress' ? await getPost(tx, c.ticket.id, 'specialist') : null;
      if (card?.messageId && card.dialogId === String(assignee.b24UserId)) {
        effects.push(update(card.messageId, renderSpecialistCard(c.card, c.ticket.status, assignee.language)));
      }
    }
    const key = `inbound-${rows[0].id}`;
    await recordEffects(tx, key, effects, deps.now());
    return { key, effects, taken: rows.length };
  });
  if (!decided) return 0;
  await runEffects(deps, decided.key, decided.effects, { parallel: true });
  return decided.taken;
}
