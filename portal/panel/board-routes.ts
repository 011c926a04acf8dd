import express, { Router, type Request } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { parseInput } from '../http/parse-input.js';
import { NotFoundError } from '../portal-errors.js';
import { BoardQuery, MoveInput } from './board-schemas.js';
import { listBoard } from './list-board.js';
import { moveFromBoard } from './move-ticket.js';
import type { PanelActionDeps } from './panel-actions.js';
import { requireStaff, staffCsrfGuard } from './panel-session.js';

const number = (s: string | undefined) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new NotFoundError('ticket');
  return n;
};

/** The board of ticket stages under /api/panel: the columns, and a drop that moves a ticket. */
export function boardRoutes(db: Db, actions: PanelActionDeps): Router {
  const r = Router();
  r.use(requireStaff, staffCsrfGuard);
  const staff = (req: Request) => req.staff!;
  r.get('/board', async (req, res) => { res.json(await listBoard(db, staff(req), parseInput(BoardQuery, req.query))); });
  r.post('/tickets/:number/move', express.json({ limit: '16kb' }), async (req, res) => {
    await moveFromBoard(actions, staff(req), number(req.params.number), parseInput(MoveInput, req.body));
    res.status(204).end();
  });
  return r;
}
