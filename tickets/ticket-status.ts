import { IllegalTransitionError } from './errors.js';

export const TICKET_STATUSES = [
  'new',            // waiting for a dispatcher
  'assigned',       // has an assignee who has not accepted yet
  'in_progress',    // accepted by the assignee
  'escalated',      // a developer's task is open; the assignee still owns the ticket
  'awaiting_time',  // closed by the assignee, time spent not recorded yet
  'resolved',       // closed with time recorded; the client was told
  'rejected',       // "not a request": spam or duplicate, closed without time
  'merged',         // joined into another ticket of the same thread (tickets.merged_into); terminal
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Every legal transition of a ticket, in one place: event -> (from statuses, to status). */
const TRANSITIONS = {
  assign: { from: ['new', 'assigned', 'in_progress', 'escalated'], to: 'assigned' },
  accept: { from: ['assigned'], to: 'in_progress' },
  escalate: { from: ['assigned', 'in_progress'], to: 'escalated' },
  task_done: { from: ['escalated'], to: 'in_progress' },
  close: { from: ['assigned', 'in_progress', 'escalated'], to: 'awaiting_time' },
  record_time: { from: ['awaiting_time'], to: 'resolved' },
  reject: { from: ['new', 'assigned'], to: 'rejected' },
  reopen: { from: ['resolved'], to: 'in_progress' },
  // A reply that arrived before its original opened this ticket; its mail now lives on the
  // original's ticket (tickets/merge-tickets.ts). From any status but merged: nothing follows it.
  merge: { from: ['new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved', 'rejected'], to: 'merged' },
} as const satisfies Record<string, { from: readonly TicketStatus[]; to: TicketStatus }>;

export type TicketEvent = keyof typeof TRANSITIONS;

/** The status after `event`, or IllegalTransitionError. */
export function nextStatus(from: TicketStatus, event: TicketEvent): TicketStatus {
  const t = TRANSITIONS[event];
  if (!(t.from as readonly TicketStatus[]).includes(from)) throw new IllegalTransitionError(from, event);
  return t.to;
}

/** The stage timestamp column each event sets. */
export const STAGE_COLUMN: Partial<Record<TicketEvent, string>> = {
  assign: 'assigned_at',
  accept: 'accepted_at',
  escalate: 'escalated_at',
  close: 'closed_at',
  record_time: 'resolved_at',
  reject: 'closed_at',
  reopen: 'reopened_at',
  merge: 'merged_at',
};
