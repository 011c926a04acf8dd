import { approveReport } from '../../reports/approve-report.js';
import { draftReport } from '../../reports/draft-report.js';
import { publishReport } from '../../reports/publish-report.js';
import { makeClient, makeTicket } from '../reports/factories.js';
import { activatedPerson, Browserish, mailTo, startCabinet, type Cabinet } from './cabinet-harness.js';

let cab: Cabinet;
let acme: number;
let globex: number;
const reports: Record<string, number> = {};

const activated = (email: string, clientId: number, role: 'director' | 'employee') => activatedPerson(cab, email, clientId, role);

/** A month's report through the real pipeline: drafted, approved, and (unless told) published. */
async function report(clientId: number, month: string, publish = true): Promise<number> {
  const deps = { db: cab.db, blobs: cab.blobs, companyName: 'Modest Support' };
  const { report: r } = await draftReport(deps, clientId, month);
  if (!publish) return r.id;
  await approveReport(cab.db, r.id, 'qa');
  await publishReport({ db: cab.db, blobs: cab.blobs, smtp: cab.deps.smtp, messageIdDomain: 'modest.example' }, r.id);
  return r.id;
}

beforeAll(async () => {
  cab = await startCabinet();
  acme = await makeClient(cab.db, 'Acme Inc.', { language: 'en', contract: { number: 'SUP-7', packageHours: 10, overPackageRate: 4000 } });
  globex = await makeClient(cab.db, 'Globex', {});
  await makeTicket(cab.db, { clientId: acme, closedAt: '2026-10-10T12:00:00+03:00', entries: [{ minutes: 11 * 60 }] });
  await makeTicket(cab.db, { clientId: globex, closedAt: '2026-10-10T12:00:00+03:00', entries: [{ minutes: 30 }] });
  reports.acmeOct = await report(acme, '2026-10');
  reports.globexOct = await report(globex, '2026-10');
  await makeTicket(cab.db, { clientId: acme, closedAt: '2026-09-10T12:00:00+03:00', entries: [{ minutes: 30 }] });
  reports.acmeSepDraft = await report(acme, '2026-09', false);
  await makeTicket(cab.db, { clientId: acme, createdAt: new Date().toISOString(), closedAt: new Date().toISOString(), entries: [{ minutes: 90 }] });
}, 60_000);
afterAll(async () => { await cab?.close(); });

test("a director lists the company's published reports: month, hours used, amount", async () => {
  const director = await activated('boss@acme.example', acme, 'director');
  const res = await director.call('GET', '/api/reports');
  expect(res.status).toBe(200);
  expect(res.json.reports).toEqual([expect.objectContaining({ id: reports.acmeOct, month: '2026-10', version: 1, hoursUsed: 11, overHours: 1, amount: 64000, currency: 'RUB' })]);
});

test('a report PDF opens inline or downloads; another company\'s or an unpublished one is 404', async () => {
  const director = await activated('chief@acme.example', acme, 'director');
  const inline = await director.call('GET', `/api/reports/${reports.acmeOct}/pdf`);
  expect(inline.status).toBe(200);
  expect(inline.headers.get('content-type')).toBe('application/pdf');
  expect(inline.headers.get('content-disposition')).toBe('inline; filename="report-2026-10.pdf"');
  expect(inline.text.startsWith('%PDF-')).toBe(true);
  expect((await director.call('GET', `/api/reports/${reports.acmeOct}/pdf?download=1`)).headers.get('content-disposition')).toMatch(/^attachment;/);
  expect((await director.call('GET', `/api/reports/${reports.globexOct}/pdf`)).status).toBe(404);
  expect((await director.call('GET', `/api/reports/${reports.acmeSepDraft}/pdf`)).status).toBe(404);
  expect((await new Browserish(cab.url).call('GET', `/api/reports/${reports.acmeOct}/pdf`)).status).toBe(401);
});

test('the contract terms and this month so far, with a forecast at the current pace', async () => {
  const director = await activated('cfo@acme.example', acme, 'director');
  const res = await director.call('GET', '/api/contract');
  expect(res.status).toBe(200);
  expect(res.json.contract).toMatchObject({ number: 'SUP-7', packageHours: 10, overPackageRate: 4000, monthlyFee: 60000, currency: 'RUB' });
  expect(res.json.month.usedHours).toBe(1.5);
  expect(res.json.month.packageHours).toBe(10);
  expect(res.json.month.forecastHours).toBeGreaterThanOrEqual(1.5);
});

test('an employee sees neither reports nor the contract', async () => {
  const employee = await activated('anna@acme.example', acme, 'employee');
  expect((await employee.call('GET', '/api/reports')).status).toBe(403);
  expect((await employee.call('GET', `/api/reports/${reports.acmeOct}/pdf`)).status).toBe(403);
  expect((await employee.call('GET', '/api/contract')).status).toBe(403);
});

test('"change plan": recorded with the terms, audited and confirmed by mail; not for an employee, not without the CSRF token', async () => {
  const director = await activated('ceo@acme.example', acme, 'director');
  const employee = await activated('bob@acme.example', acme, 'employee');
  expect((await employee.call('POST', '/api/contract/plan-change', { text: 'more hours' })).status).toBe(403);
  expect((await director.call('POST', '/api/contract/plan-change', { text: 'more hours' }, { csrf: false })).status).toBe(403);
  expect((await director.call('POST', '/api/contract/plan-change', { text: '  ' })).status).toBe(400);
  expect(await cab.db.query('select 1 from plan_change_requests')).toEqual([]);
  const before = cab.sink.received.length;
  const res = await director.call('POST', '/api/contract/plan-change', { text: '20 hours a month from January' });
  expect(res.status).toBe(201);
  const [row] = await cab.db.query<{ client_id: number; text: string; number: string; notified_at: Date | null }>(
    `select client_id, text, terms->>'number' as number, notified_at from plan_change_requests where id = $1`, [res.json.id]);
  expect(row).toEqual({ client_id: acme, text: '20 hours a month from January', number: 'SUP-7', notified_at: null });
  const mail = await mailTo(cab.sink, 'ceo@acme.example', before);
  expect(mail.mail.subject).toBe('Your plan change request is in — Acme Inc.');
  expect(mail.mail.text).toContain('> 20 hours a month from January');
  const [audit] = await cab.db.query<{ actor: string }>(`select actor from audit_log where action = 'cabinet_plan_request' and (details->>'requestId')::bigint = $1`,
    [res.json.id]);
  expect(audit.actor).toBe('client:ceo@acme.example');
});
