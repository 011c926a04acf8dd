import { BOARD_STAGES, MOVE_ACTION, boardMoves } from '../../portal/panel/board-moves.js';
import { nextStatus, TICKET_STATUSES } from '../../tickets/ticket-status.js';

describe('the board offers only the moves the ticket state machine allows', () => {
  const people = [{ mine: true, admin: false }, { mine: false, admin: true }, { mine: false, admin: false }, { mine: true, admin: true }];

  test.each(TICKET_STATUSES.flatMap((s) => people.map((p) => [s, p] as const)))('%s for %o', (status, who) => {
    for (const to of boardMoves(status, who)) {
      if (to === 'new') throw new Error('nothing moves back to new');
      const { event } = MOVE_ACTION[to];
      // "resolved" runs close and then record_time when the ticket is still active.
      const after = to === 'resolved' && status !== 'awaiting_time' ? nextStatus(nextStatus(status, 'close'), 'record_time') : nextStatus(status, event);
      expect(after).toBe(to);
    }
  });

  test('who may move what', () => {
    expect(boardMoves('new', { mine: false, admin: false })).toEqual(['assigned']);
    expect(boardMoves('assigned', { mine: true, admin: false })).toEqual(['in_progress', 'escalated', 'awaiting_time', 'resolved']);
    expect(boardMoves('assigned', { mine: false, admin: true })).toEqual([]);
    expect(boardMoves('in_progress', { mine: false, admin: false })).toEqual([]);
    expect(boardMoves('in_progress', { mine: false, admin: true })).toEqual(['assigned']);
    expect(boardMoves('escalated', { mine: true, admin: false })).toEqual(['assigned', 'awaiting_time', 'resolved']);
    expect(boardMoves('awaiting_time', { mine: true, admin: false })).toEqual(['resolved']);
    // Reopening is the client's mail, a task's completion the developer's: neither is a drop.
    expect(boardMoves('resolved', { mine: true, admin: true })).toEqual([]);
    expect(boardMoves('rejected', { mine: true, admin: true })).toEqual([]);
    expect(BOARD_STAGES).toEqual(['new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved']);
  });
});
