import { nextStatus, type TicketEvent, type TicketStatus } from '../../tickets/ticket-status.js';
import { IllegalTransitionError } from '../../tickets/errors.js';

test('the life of a ticket: assigned, accepted, escalated, closed, resolved with time, reopened', () => {
  const path: Array<[TicketEvent, string]> = [
    ['assign', 'assigned'], ['accept', 'in_progress'], ['escalate', 'escalated'], ['task_done', 'in_progress'],
    ['close', 'awaiting_time'], ['record_time', 'resolved'], ['reopen', 'in_progress'],
  ];
  let status: TicketStatus = 'new';
  for (const [event, expected] of path) {
    status = nextStatus(status, event);
    expect(status).toBe(expected);
  }
});

test.each([
  ['new', 'close'], ['new', 'record_time'], ['resolved', 'assign'], ['rejected', 'reopen'], ['awaiting_time', 'escalate'],
] as const)('a %s ticket cannot %s', (from, event) => {
  expect(() => nextStatus(from, event)).toThrow(IllegalTransitionError);
  try { nextStatus(from, event); } catch (err) { expect((err as IllegalTransitionError).code).toBe('ticket.illegal_transition'); }
});

test('merged is terminal: a ticket can be merged from any other status, and nothing follows', () => {
  for (const from of ['new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved', 'rejected'] as const) {
    expect(nextStatus(from, 'merge')).toBe('merged');
  }
  for (const event of ['assign', 'accept', 'close', 'reopen', 'reject', 'merge'] as const) {
    expect(() => nextStatus('merged', event)).toThrow(IllegalTransitionError);
  }
});
