import type { Sql } from './store/db.js';
import type { Actor, Channel, Ticket } from './types.js';
import { recordAudit } from './store/audit-repo.js';
import { transitionTicket } from './store/ticket-repo.js';

export interface MergeInput {
  actor: Actor;
  channel: Channel;
  at: Date;
  details?: Record<string, unknown>;
}

/**
 * Joins `absorbedId` into `survivorId`, inside the caller's transaction; both tickets must be
 * locked by it (select ... for update), so no mail can land on the absorbed ticket meanwhile.
 *
 * Nothing is deleted. The absorbed ticket's mail (with its attachments), notes, outgoing mail,
 * time entries and escalation tasks move to the survivor; its own audit trail stays on it and
 * it ends in the terminal status 'merged' pointing at the survivor (tickets.merged_into), so
 * its number, tag and cabinet page still lead there. Both tickets' audit trails record the
 * merge.
 *
 * Assignees: the survivor keeps its status, department and assignee, whatever the absorbed
 * ticket had; the bot then edits the absorbed ticket's cards ("merged into #N") and tells its
 * assignee (bot/announce-merges.ts). One ticket has one owner, and the survivor's owner is the
 * one already talking to the client in the thread's older part; silently swapping owners would
 * surprise both. Time already logged is not lost: it moves with the ticket and counts there.
 */
export async function mergeTickets(tx: Sql, absorbedId: number, survivorId: number, input: MergeInput): Promise<Ticket> {
  // An acknowledgement of the absorbed ticket not sent yet (a backlog holds outgoing mail) is
  // never sent: the client hears of one ticket per thread. No send state: nothing to send; no
  // text: the thread does not show what was never sent. One a sender has claimed already goes
  // out, under the survivor's number.
  const cancelledAcks = (await tx.query<{ id: number }>(
    `update messages set send_state = null, body_text = null
      where ticket_id = $1 and kind = 'ack' and send_state = 'pending' and send_claimed_by is null
     returning id`, [absorbedId])).map((r) => r.id);
  const moved = await tx.query<{ id: number }>('update messages set ticket_id = $2 where ticket_id = $1 returning id', [absorbedId, survivorId]);
  await tx.query('update time_entries set ticket_id = $2 where ticket_id = $1', [absorbedId, survivorId]);
  await tx.query('update escalations set ticket_id = $2 where ticket_id = $1', [absorbedId, survivorId]);
  // A reply being written on the absorbed ticket goes to the client in the survivor's thread.
  await tx.query(`update bot_conversations set ticket_id = $2 where ticket_id = $1 and mode = 'reply'`, [absorbedId, survivorId]);
  await tx.query('delete from bot_conversations where ticket_id = $1', [absorbedId]);
  // Tickets merged into the absorbed one earlier now lead straight to the survivor.
  await tx.query('update tickets set merged_into = $2 where merged_into = $1', [absorbedId, survivorId]);
  const messageRowIds = moved.map((m) => m.id).sort((a, b) => a - b);
  const absorbed = await transitionTicket(tx, absorbedId, {
    event: 'merge', actor: input.actor, channel: input.channel, at: input.at, set: { mergedInto: survivorId },
    details: { into: survivorId, messageRowIds, cancelledAcks, ...input.details },
  });
  await recordAudit(tx, {
    ticketId: survivorId, actor: input.actor, channel: input.channel, action: 'merged_in', at: input.at,
    details: { from: absorbedId, number: absorbed.number, messageRowIds, ...input.details },
  });
  await tx.query('update tickets set updated_at = $2 where id = $1', [survivorId, input.at]);
  return absorbed;
}
