import { Router } from 'express';
import { ClientReplyBody, NewRequestBody } from '../api-schemas.js';
import { openRequestFromCabinet, replyFromCabinet, type ClientMailDeps } from '../mail/send-client-mail.js';
import { NotFoundError } from '../portal-errors.js';
import { parseInput } from './parse-input.js';
import { requireSession } from './session-cookies.js';

/** Mail written in the cabinet: a reply on a ticket (/api/tickets/:number/replies), a new request (/api/requests). */
export function mailRoutes(deps: ClientMailDeps): Router {
  const r = Router();
  r.post('/tickets/:number/replies', requireSession, async (req, res) => {
    const number = Number(req.params.number);
    if (!Number.isSafeInteger(number) || number <= 0) throw new NotFoundError('ticket');
    res.status(202).json(await replyFromCabinet(deps, req.cabinet!.user, number, parseInput(ClientReplyBody, req.body)));
  });
  r.post('/requests', requireSession, async (req, res) => {
    res.status(202).json(await openRequestFromCabinet(deps, req.cabinet!.user, parseInput(NewRequestBody, req.body)));
  });
  return r;
}
