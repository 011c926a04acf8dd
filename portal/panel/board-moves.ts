import { nextStatus, type TicketEvent, type TicketStatus } from '../../tickets/ticket-status.js';

/** The board's columns, in the order a ticket moves through them. */
export const BOARD_STAGES = ['new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved'] as const;
export type BoardStage = (typeof BOARD_STAGES)[number];

/** What a drop onto a column means: the domain action the panel runs for it. */
export const MOVE_ACTION: Record<Exclude<BoardStage, 'new'>, { event: TicketEvent; needs: 'employee' | 'developer' | 'time' | null }> = {
  assigned: { event: 'assign', needs: 'employee' },
  in_progress: { event: 'accept', needs: null },
  escalated: { event: 'escalate', needs: 'developer' },
  awaiting_time: { event: 'close', needs: null },
  // Close and record the time in one step (closeFromPanel): record_time from awaiting_time, close + record_time before.
  resolved: { event: 'record_time', needs: 'time' },
};

const legal = (from: TicketStatus, event: TicketEvent): boolean => {
  try {
    nextStatus(from, event);
    return true;
  } catch {
    return false;
  }
};

/**
 * The columns a ticket may be dropped on by this person: what the state machine allows from its
 * status, narrowed by the same rules the bot and the ticket page apply (anyone dispatches a new
 * ticket; only the assignee accepts, escalates or closes; the assignee or an administrator
 * reassigns). Moves the bot cannot make either are not offered: a task's completion (only the
 * developer's task does that) and a reopening (only the client's mail does that).
 */
export function boardMoves(status: TicketStatus, who: { mine: boolean; admin: boolean }): BoardStage[] {
  const moves: BoardStage[] = [];
  if (status === 'new') return legal(status, 'assign') ? ['assigned'] : [];
  // A reassignment is a drop on "assigned" from a later column; within "assigned" it is the ticket page's form.
  if ((who.mine || who.admin) && status !== 'assigned' && legal(status, 'assign')) moves.push('assigned');
  if (!who.mine) return moves;
  if (legal(status, 'accept')) moves.push('in_progress');
  if (legal(status, 'escalate')) moves.push('escalated');
  if (legal(status, 'close')) moves.push('awaiting_time');
  if (legal(status, 'close') || legal(status, 'record_time')) moves.push('resolved');
  return moves;
}
