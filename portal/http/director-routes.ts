import { Router, type NextFunction, type Request, type Response } from 'express';
import type { BlobStore } from '../../connectors/mail/blob-store.js';
import type { AccountDeps } from '../accounts/account-deps.js';
import { getClientContract } from '../contract/client-contract.js';
import { requestPlanChange } from '../contract/request-plan-change.js';
import { PlanChangeBody } from '../api-schemas.js';
import { parseInput } from './parse-input.js';
import { findClientReportPdf, listClientReports } from '../reports/client-reports.js';
import { ForbiddenError, NotFoundError } from '../portal-errors.js';
import { requireSession } from './session-cookies.js';

// Reports list every ticket of the company and the contract its money: a director's view.
function directorOnly(req: Request, _res: Response, next: NextFunction): void {
  next(req.cabinet!.user.role === 'director' ? undefined : new ForbiddenError('reports and contract are for the director'));
}

/** Отчёты and Договор: /api/reports, a report's PDF, /api/contract, and its "change plan" request. */
export function directorRoutes(deps: AccountDeps, blobs: BlobStore): Router {
  const { db, timeZone: zone } = deps;
  const r = Router();
  r.use(['/reports', '/contract'], requireSession, directorOnly);
  r.get('/reports', async (req, res) => {
    res.json({ reports: await listClientReports(db, req.cabinet!.user.clientId) });
  });
  r.get('/reports/:id/pdf', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('report');
    const pdf = await findClientReportPdf(db, req.cabinet!.user.clientId, id);
    const name = `report-${pdf.month}${pdf.version > 1 ? `-v${pdf.version}` : ''}.pdf`;
    // Inline opens it in the browser's PDF viewer (print from there); ?download=1 saves it.
    res.set('Content-Disposition', `${req.query.download ? 'attachment' : 'inline'}; filename="${name}"`);
    res.type('application/pdf');
    res.send(await blobs.get(pdf.sha256));
  });
  r.get('/contract', async (req, res) => {
    res.json(await getClientContract(db, req.cabinet!.user.clientId, zone));
  });
  r.post('/contract/plan-change', async (req, res) => {
    const { text } = parseInput(PlanChangeBody, req.body);
    res.status(201).json(await requestPlanChange(deps, req.cabinet!.user, text));
  });
  return r;
}
