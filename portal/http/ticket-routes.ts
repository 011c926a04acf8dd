import { Router } from 'express';
import type { Db } from '../../tickets/store/db.js';
import type { BlobStore } from '../../connectors/mail/blob-store.js';
import { TicketListQuery } from '../api-schemas.js';
import { findScopedAttachment, findScopedMessageHtml, getClientTicket } from '../tickets/get-client-ticket.js';
import { MAIL_HTML_CSP, renderMailHtml } from '../tickets/render-mail-html.js';
import { listClientTickets } from '../tickets/list-client-tickets.js';
import { scopeOf } from '../tickets/ticket-scope.js';
import { NotFoundError } from '../portal-errors.js';
import { parseInput } from './parse-input.js';
import { requireSession } from './session-cookies.js';

const positive = (s: string) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new NotFoundError('ticket');
  return n;
};

/** Обращения: /api/tickets, one ticket's thread, its attachments; every id scoped to the session. */
export function ticketRoutes(db: Db, blobs: BlobStore): Router {
  const r = Router();
  r.use('/tickets', requireSession);
  r.get('/tickets', async (req, res) => {
    res.json(await listClientTickets(db, scopeOf(req.cabinet!.user), parseInput(TicketListQuery, req.query)));
  });
  r.get('/tickets/:number', async (req, res) => {
    res.json(await getClientTicket(db, scopeOf(req.cabinet!.user), positive(req.params.number)));
  });
  r.get('/tickets/:number/messages/:message/attachments/:index', async (req, res) => {
    const a = await findScopedAttachment(db, scopeOf(req.cabinet!.user), positive(req.params.number), positive(req.params.message),
      positive(req.params.index));
    const body = await blobs.get(a.sha256!);
    // Always a download, never rendered by us: an attachment is whatever the sender made it.
    res.attachment(a.filename);
    res.type('application/octet-stream');
    res.set('X-Content-Type-Options', 'nosniff');
    res.send(body);
  });
  r.get('/tickets/:number/messages/:message/html', async (req, res) => {
    const html = await findScopedMessageHtml(db, scopeOf(req.cabinet!.user), positive(req.params.number), positive(req.params.message));
    // Replaces the app's policy: this document may only be framed by us, and runs nothing.
    res.set('Content-Security-Policy', MAIL_HTML_CSP);
    res.set('X-Frame-Options', 'SAMEORIGIN');
    res.type('text/html; charset=utf-8').send(renderMailHtml(html));
  });
  return r;
}
