// The board's and the move's API shapes: the server validates with them, the panel app takes its types from them.
import { z } from 'zod';
import { BOARD_STAGES } from './board-moves.js';
import { QUEUE_VIEWS, QueueRow } from './panel-schemas.js';

export const BoardQuery = z.object({
  view: z.enum(QUEUE_VIEWS).default('all'),
  client: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(200).optional(),
});
export type BoardQuery = z.infer<typeof BoardQuery>;

export const BoardCard = QueueRow.extend({
  /** The columns this person may drop the card on (board-moves.ts). */
  moves: z.array(z.enum(BOARD_STAGES)),
});
export type BoardCard = z.infer<typeof BoardCard>;

export const BoardColumn = z.object({
  stage: z.enum(BOARD_STAGES),
  cards: z.array(BoardCard),
  /** All of the stage's tickets in the view (the column shows the first `cards.length`). */
  total: z.number(),
  more: z.boolean(),
});
export type BoardColumn = z.infer<typeof BoardColumn>;
export type Board = { columns: BoardColumn[] };

/** A drop: the target column and what that move needs (whom to assign, which developer, the time). */
export const MoveInput = z.discriminatedUnion('to', [
  z.object({ to: z.literal('assigned'), employeeId: z.number().int().positive() }),
  z.object({ to: z.literal('in_progress') }),
  z.object({ to: z.literal('escalated'), developerId: z.number().int().positive() }),
  z.object({ to: z.literal('awaiting_time') }),
  z.object({ to: z.literal('resolved'), minutes: z.number().int().min(1).max(100_000), billable: z.boolean() }),
]);
export type MoveInput = z.infer<typeof MoveInput>;
