import express, { Router, type Request } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { parseInput } from '../http/parse-input.js';
import { NotFoundError } from '../portal-errors.js';
import { BoardQuery, MoveInput } from './board-schemas.js';
import { ClientCardQuery } from './client-schemas.js';
import { getClientCard } from './get-client-card.js';
import { listBoard } from './list-board.js';
import { moveFromBoard } from './move-ticket.js';
import type { PanelActionDeps } from './panel-actions.js';
import { requireStaff, staffCsrfGuard } from './panel-session.js';

const number = (s: string | undefined, what = 'ticket') => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new NotFoundError(what);
  return n;
};

/** Under /api/panel: the board of ticket stages (the columns, and a drop that moves a ticket) and the client card. */
export function boardRoutes(db: Db, actions: PanelActionDeps): Router {
  const r = Router();
  r.use(requireStaff, staffCsrfGuard);
  const staff = (req: Request) => req.staff!;
  r.get('/board', async (req, res) => { res.json(await listBoard(db, staff(req), parseInput(BoardQuery, req.query))); });
  r.post('/tickets/:number/move', express.json({ limit: '16kb' }), async (req, res) => {
    await moveFromBoard(actions, staff(req), number(req.params.number), parseInput(MoveInput, req.body));
    res.status(204).end();
  });
  r.get('/clients/:id', async (req, res) => {
    const { page } = parseInput(ClientCardQuery, req.query);
    res.json(await getClientCard(db, staff(req), number(req.params.id, 'client'), page, actions.settings.timeZone));
  });
  return r;
}
