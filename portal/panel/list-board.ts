import type { Sql } from '../../tickets/store/db.js';
import type { TicketStatus } from '../../tickets/ticket-status.js';
import { BOARD_STAGES, boardMoves } from './board-moves.js';
import type { Board, BoardQuery } from './board-schemas.js';
import { listQueue } from './list-queue.js';
import type { Staff } from './staff-rights.js';

/** Cards per column: a column is for seeing and moving what is at its head; the queue pages through the rest. */
export const BOARD_COLUMN_SIZE = 50;

/**
 * The board: per stage, the first tickets of the view (oldest first; resolved ones latest first)
 * through the queue's own query, so the same rights and filters hold; each card says where this
 * person may move it.
 */
export async function listBoard(sql: Sql, staff: Staff, q: BoardQuery): Promise<Board> {
  const pages = await Promise.all(BOARD_STAGES.map((stage) => listQueue(sql, staff, {
    view: q.view, status: stage, client: q.client, q: q.q, sort: stage === 'resolved' ? 'activity' : 'oldest', page: 1, pageSize: BOARD_COLUMN_SIZE,
  })));
  const numbers = pages.flatMap((p) => p.rows.map((r) => r.number));
  const assignees = new Map((await sql.query<{ number: string; assignee_id: string | null }>(
    'select number, assignee_id from tickets where number = any($1::bigint[])', [numbers])).map((r) => [Number(r.number), r.assignee_id]));
  return {
    columns: BOARD_STAGES.map((stage, i) => ({
      stage, total: pages[i].total, more: pages[i].more,
      cards: pages[i].rows.map((r) => ({
        ...r,
        moves: boardMoves(r.status as TicketStatus, { mine: Number(assignees.get(r.number)) === staff.employee.id, admin: staff.admin }),
      })),
    })),
  };
}
