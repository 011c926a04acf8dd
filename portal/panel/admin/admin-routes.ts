import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Db } from '../../../tickets/store/db.js';
import { parseInput } from '../../http/parse-input.js';
import { ForbiddenError, NotFoundError } from '../../portal-errors.js';
import { requireStaff, staffCsrfGuard } from '../panel-session.js';
import {
  addDomain, createAdminClient, getAdminClient, listAdminClients, putContact, removeContact, removeDomain, updateAdminClient,
} from './admin-clients.js';
import { createContract, updateContract } from './admin-contracts.js';
import { ClientInput, ClientListQuery, ContactInput, ContractInput, DomainInput } from './admin-schemas.js';
import { readSystemState, type SystemSources } from './system-state.js';

/** Administrators only (PANEL_ADMINS): anyone else signed in gets 403, nobody signed in 401. */
export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (!req.staff) return requireStaff(req, _res, next);
  next(req.staff.admin ? undefined : new ForbiddenError('administration'));
}

const id = (s: string | undefined, what: string) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFoundError(what);
  return n;
};

/** The administration's API under /api/panel/admin: clients, contacts, mail domains, contracts, and the system's state. */
export function adminRoutes(db: Db, system: SystemSources): Router {
  const r = Router();
  r.use('/admin', requireAdmin, staffCsrfGuard, express.json({ limit: '64kb' }));
  const staff = (req: Request) => req.staff!;
  const done = (res: Response) => res.status(204).end();
  r.get('/admin/system', async (_req, res) => { res.json(await readSystemState(db, system)); });
  r.get('/admin/clients', async (req, res) => { res.json(await listAdminClients(db, parseInput(ClientListQuery, req.query))); });
  r.post('/admin/clients', async (req, res) => { res.status(201).json({ id: await createAdminClient(db, staff(req), parseInput(ClientInput, req.body)) }); });
  r.get('/admin/clients/:id', async (req, res) => { res.json(await getAdminClient(db, id(req.params.id, 'client'))); });
  r.put('/admin/clients/:id', async (req, res) => {
    await updateAdminClient(db, staff(req), id(req.params.id, 'client'), parseInput(ClientInput, req.body));
    done(res);
  });
  r.put('/admin/clients/:id/contacts', async (req, res) => {
    await putContact(db, staff(req), id(req.params.id, 'client'), parseInput(ContactInput, req.body));
    done(res);
  });
  r.delete('/admin/clients/:id/contacts/:email', async (req, res) => {
    await removeContact(db, staff(req), id(req.params.id, 'client'), req.params.email);
    done(res);
  });
  r.post('/admin/clients/:id/domains', async (req, res) => {
    await addDomain(db, staff(req), id(req.params.id, 'client'), parseInput(DomainInput, req.body));
    done(res);
  });
  r.delete('/admin/clients/:id/domains/:domain', async (req, res) => {
    await removeDomain(db, staff(req), id(req.params.id, 'client'), req.params.domain);
    done(res);
  });
  r.post('/admin/clients/:id/contracts', async (req, res) => {
    res.status(201).json({ id: await createContract(db, staff(req), id(req.params.id, 'client'), parseInput(ContractInput, req.body)) });
  });
  r.put('/admin/contracts/:id', async (req, res) => {
    await updateContract(db, staff(req), id(req.params.id, 'contract'), parseInput(ContractInput, req.body));
    done(res);
  });
  return r;
}
