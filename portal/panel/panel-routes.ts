import express, { Router, type Request } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { parseInput } from '../http/parse-input.js';
import { NotFoundError } from '../portal-errors.js';
import { acceptFromPanel, assignFromPanel, closeFromPanel, escalateFromPanel, noteFromPanel, replyFromPanel, type PanelActionDeps } from './panel-actions.js';
import { listDepartmentStaff, listDevelopers, listSupportDepartments } from '../../tickets/store/employee-repo.js';
import { AssignInput, CloseInput, EscalateInput, NoteInput, QueueQuery, ReplyInput, type Me, type StaffDirectory } from './panel-schemas.js';
import { findStaffAttachment, getStaffTicket } from './get-staff-ticket.js';
import { listQueue } from './list-queue.js';
import { clearStaffCookie, requireStaff, staffCsrfGuard } from './panel-session.js';
import { endStaffSession } from './staff-sessions.js';
import { streamTicketEvents, type TicketFeed } from './ticket-feed.js';

const number = (s: string | string[] | undefined) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new NotFoundError('ticket');
  return n;
};

/** The panel's JSON API under /api/panel: every call needs a staff session, every change its CSRF token. */
export function panelApiRoutes(db: Db, actions: PanelActionDeps, feed: TicketFeed): Router {
  const r = Router();
  r.use(requireStaff, staffCsrfGuard);
  const staff = (req: Request) => req.staff!;
  r.get('/me', (req, res) => {
    const s = staff(req);
    const me: Me = { name: s.employee.name, language: s.employee.language, admin: s.admin, department: s.departmentName, csrfToken: s.csrfToken };
    res.json(me);
  });
  r.post('/sign-out', async (req, res) => {
    await endStaffSession(db, staff(req).sessionId);
    clearStaffCookie(req, res);
    res.status(204).end();
  });
  r.get('/queue', async (req, res) => { res.json(await listQueue(db, staff(req), parseInput(QueueQuery, req.query))); });
  r.get('/tickets/:number', async (req, res) => { res.json(await getStaffTicket(db, staff(req), number(req.params.number))); });
  r.get('/tickets/:number/messages/:message/attachments/:index', async (req, res) => {
    const a = await findStaffAttachment(db, staff(req), number(req.params.number), number(req.params.message), number(req.params.index));
    const body = await actions.blobs.get(a.sha256!);
    // Always a download: an attachment is whatever its sender made it.
    res.attachment(a.filename);
    res.type('application/octet-stream');
    res.set('X-Content-Type-Options', 'nosniff');
    res.send(body);
  });
  // Attachments travel as base64 in JSON: a reply's body may be large, nothing else's.
  r.post('/tickets/:number/reply', express.json({ limit: '40mb' }), async (req, res) => {
    const input = parseInput(ReplyInput, req.body);
    const files = input.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') }));
    await replyFromPanel(actions, staff(req), number(req.params.number), input.text, files);
    res.status(204).end();
  });
  r.use(express.json({ limit: '256kb' }));
  r.post('/tickets/:number/note', async (req, res) => {
    await noteFromPanel(actions, staff(req), number(req.params.number), parseInput(NoteInput, req.body).text);
    res.status(204).end();
  });
  r.post('/tickets/:number/accept', async (req, res) => {
    await acceptFromPanel(actions, staff(req), number(req.params.number));
    res.status(204).end();
  });
  r.post('/tickets/:number/close', async (req, res) => {
    const input = parseInput(CloseInput, req.body);
    await closeFromPanel(actions, staff(req), number(req.params.number), input.minutes, input.billable);
    res.status(204).end();
  });
  r.post('/tickets/:number/assign', async (req, res) => {
    await assignFromPanel(actions, staff(req), number(req.params.number), parseInput(AssignInput, req.body).employeeId);
    res.status(204).end();
  });
  /** Who a ticket can go to: the support departments and their people, as the dispatch buttons offer. */
  r.get('/staff', async (_req, res) => {
    const departments = await listSupportDepartments(db);
    const body: StaffDirectory = await Promise.all(departments.map(async (d) => ({
      id: d.id, name: d.name, people: (await listDepartmentStaff(db, d.id)).map((e) => ({ id: e.id, name: e.name })),
    })));
    res.json(body);
  });
  r.post('/tickets/:number/escalate', async (req, res) => {
    await escalateFromPanel(actions, staff(req), number(req.params.number), parseInput(EscalateInput, req.body).developerId);
    res.status(204).end();
  });
  r.get('/developers', async (_req, res) => { res.json((await listDevelopers(db)).map((d) => ({ id: d.id, name: d.name }))); });
  r.get('/events', (req, res) => streamTicketEvents(feed, req, res));
  return r;
}
