import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../tickets/store/db.js';
import { buildMonthReport } from '../../reports/build-month-report.js';
import { loadMonthInput } from '../../reports/load-month-input.js';
import { listReportClients } from '../../reports/list-report-clients.js';
import { recordPackageAlerts } from '../../reports/package-alerts.js';
import { BlobStore } from '../../connectors/mail/blob-store.js';
import { draftReport } from '../../reports/draft-report.js';
import { approveReport } from '../../reports/approve-report.js';
import { publishReport } from '../../reports/publish-report.js';
import { makeClient, makeEmployee, makeTicket, openTestDb } from './factories.js';

const engines = ['pglite', 'postgres'] as const;

describe.each(engines)('month data on %s', (engine) => {
  let db: Db;
  let olga: number;
  let blobs: BlobStore;
  const month = '2026-10';
  const deps = () => ({ db, blobs, companyName: 'Modest Support' });

  beforeAll(async () => {
    db = await openTestDb(engine);
    olga = await makeEmployee(db, 'Ольга Смирнова');
    blobs = new BlobStore(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-report-blobs-')));
  });
  afterAll(async () => { await db.close(); });

  const report = async (clientId: number, month: string, zone?: string) => buildMonthReport(await loadMonthInput(db, clientId, month, zone));

  test('a ticket closed at 23:30 on the 31st Moscow time is in that month; 00:10 on the 1st is in the next', async () => {
    const c = await makeClient(db, 'ООО «Полночь»');
    const late = await makeTicket(db, { clientId: c, closedAt: '2026-10-31T23:30:00+03:00', assigneeId: olga, entries: [{ minutes: 25 }] });
    const next = await makeTicket(db, { clientId: c, closedAt: '2026-11-01T00:10:00+03:00', assigneeId: olga, entries: [{ minutes: 40 }] });
    const early = await makeTicket(db, { clientId: c, closedAt: '2026-10-01T00:05:00+03:00', assigneeId: olga, entries: [{ minutes: 10 }] });
    const oct = await report(c, '2026-10');
    expect(oct.tickets.map((t) => t.number)).toEqual([early, late]);
    expect(oct.totals.billableMinutes).toBe(35);
    expect((await report(c, '2026-11')).tickets.map((t) => t.number)).toEqual([next]);
    // On a UTC clock the 00:10 Moscow ticket (21:10 UTC) is October's, and the 00:05 one September's.
    expect((await report(c, '2026-10', 'UTC')).tickets.map((t) => t.number)).toEqual([late, next]);
  });

  test('minutes add up per ticket and per month; non-billable tickets are listed but consume no hours', async () => {
    const c = await makeClient(db, 'ООО «Сумма»', { contract: { packageHours: 10 } });
    const a = await makeTicket(db, { clientId: c, closedAt: '2026-10-05T12:00:00+03:00', assigneeId: olga,
      entries: [{ minutes: 10 }, { minutes: 15 }] });
    const ourFault = await makeTicket(db, { clientId: c, closedAt: '2026-10-06T12:00:00+03:00', assigneeId: olga,
      entries: [{ minutes: 50, billable: false }] });
    const mixed = await makeTicket(db, { clientId: c, closedAt: '2026-10-07T12:00:00+03:00', assigneeId: olga,
      entries: [{ minutes: 30 }, { minutes: 20, billable: false }] });
    const r = await report(c, '2026-10');
    expect(r.tickets.map((t) => [t.number, t.minutes, t.billableMinutes, t.specialist])).toEqual([
      [a, 25, 25, 'Ольга Смирнова'], [ourFault, 50, 0, 'Ольга Смирнова'], [mixed, 50, 30, 'Ольга Смирнова'],
    ]);
    expect(r.totals).toMatchObject({ minutes: 125, billableMinutes: 55, nonBillableMinutes: 70, packageUsedMinutes: 55, overMinutes: 0 });
  });

  test('over the package: bonus hours are used first, the rest is over at the over-package rate', async () => {
    const c = await makeClient(db, 'ООО «Перебор»', { contract: { packageHours: 10, bonusHours: 2, overPackageRate: 3500 } });
    await makeTicket(db, { clientId: c, closedAt: '2026-10-10T12:00:00+03:00', entries: [{ minutes: 13 * 60 + 30 }] });
    await makeTicket(db, { clientId: c, closedAt: '2026-10-11T12:00:00+03:00', entries: [{ minutes: 120, billable: false }] });
    const r = await report(c, '2026-10');
    expect(r.totals).toEqual({
      minutes: 15 * 60 + 30, billableMinutes: 13 * 60 + 30, nonBillableMinutes: 120, packageMinutes: 600, packageUsedMinutes: 600,
      bonusMinutes: 120, bonusUsedMinutes: 120, overMinutes: 90, overCost: 5250,
    });
    expect(r.contract).toMatchObject({ packageHours: 10, bonusHours: 2, overPackageRate: 3500, currency: 'RUB' });
  });

  test('an unlimited contract never goes over', async () => {
    const c = await makeClient(db, 'Acme Unlimited', { language: 'en', contract: { packageHours: null, bonusHours: 5 } });
    await makeTicket(db, { clientId: c, closedAt: '2026-10-10T12:00:00+03:00', entries: [{ minutes: 300 * 60 }] });
    const r = await report(c, '2026-10');
    expect(r.contract?.packageHours).toBeNull();
    expect(r.totals).toMatchObject({ billableMinutes: 18000, packageMinutes: null, bonusUsedMinutes: 0, overMinutes: 0, overCost: 0 });
  });

  test('closed without time and still open tickets are the review\'s problems; a missing time holds the report', async () => {
    const c = await makeClient(db, 'ООО «Недочёт»');
    const noTime = await makeTicket(db, { clientId: c, status: 'awaiting_time', closedAt: '2026-10-20T12:00:00+03:00', assigneeId: olga });
    const open = await makeTicket(db, { clientId: c, status: 'in_progress', createdAt: '2026-10-25T12:00:00+03:00', assigneeId: olga });
    await makeTicket(db, { clientId: c, status: 'in_progress', createdAt: '2026-11-02T12:00:00+03:00' });
    const ok = await makeTicket(db, { clientId: c, closedAt: '2026-10-21T12:00:00+03:00', entries: [{ minutes: 15 }] });
    const r = await report(c, '2026-10');
    expect(r.tickets.map((t) => t.number)).toEqual([ok]);
    expect(r.missingTime.map((t) => t.number)).toEqual([noTime]);
    expect(r.stillOpen.map((t) => t.number)).toEqual([open]);
    expect(r.held).toBe(true);
  });

  test('a ticket opened in the month and closed after it was open at the period\'s end: listed apart, billed in its own month', async () => {
    const c = await makeClient(db, 'ООО «Переходящее»');
    const carried = await makeTicket(db, { clientId: c, createdAt: '2026-10-28T12:00:00+03:00', closedAt: '2026-11-03T12:00:00+03:00',
      assigneeId: olga, entries: [{ minutes: 70 }] });
    const oct = await report(c, '2026-10');
    expect(oct.stillOpen).toEqual([expect.objectContaining({ number: carried, specialist: 'Ольга Смирнова', since: '2026-10-28T09:00:00.000Z' })]);
    expect(oct.tickets).toEqual([]);
    expect(oct.totals.billableMinutes).toBe(0);
    const nov = await report(c, '2026-11');
    expect(nov.tickets.map((t) => [t.number, t.minutes])).toEqual([[carried, 70]]);
    expect(nov.stillOpen).toEqual([]);
  });

  test('a month not over yet is not drafted unless forced', async () => {
    const c = await makeClient(db, 'ООО «Рано»');
    await makeTicket(db, { clientId: c, closedAt: '2026-10-03T10:00:00+03:00', entries: [{ minutes: 30 }] });
    const sixth = new Date('2026-10-06T12:00:00+03:00');
    await expect(draftReport(deps(), c, month, sixth)).rejects.toMatchObject({ code: 'report.month_not_over', month });
    expect(await db.query('select id from reports where client_id = $1', [c])).toEqual([]);
    // The last minute of October on the team's clock is still October; its first minute after is not.
    await expect(draftReport(deps(), c, month, new Date('2026-10-31T23:59:00+03:00'))).rejects.toMatchObject({ code: 'report.month_not_over' });
    expect((await draftReport(deps(), c, month, new Date('2026-11-01T00:00:00+03:00'))).outcome).toBe('created');
    const c2 = await makeClient(db, 'ООО «Досрочно»');
    expect((await draftReport(deps(), c2, month, sixth, { force: true })).outcome).toBe('created');
  });

  test('the monthly run covers clients with a contract in force or with activity, and no others', async () => {
    const withContract = await makeClient(db, 'Contract only');
    const active = await makeClient(db, 'Activity only', { contract: null });
    await makeTicket(db, { clientId: active, closedAt: '2026-09-15T12:00:00+03:00', entries: [{ minutes: 5 }] });
    const ended = await makeClient(db, 'Ended in August', { contract: { endDate: '2026-08-31' } });
    const ids = await listReportClients(db, '2026-09');
    expect(ids).toEqual(expect.arrayContaining([withContract, active]));
    expect(ids).not.toContain(ended);
  });

  test('running a month again gives the same report; a published report gets a new version, never an overwrite', async () => {
    const c = await makeClient(db, 'ООО «Версия»');
    await makeTicket(db, { clientId: c, closedAt: '2026-10-03T10:00:00+03:00', entries: [{ minutes: 30 }] });
    const [first, again] = await Promise.all([draftReport(deps(), c, month), draftReport(deps(), c, month)]);
    expect([first.outcome, again.outcome].sort()).toEqual(['created', 'unchanged']);
    expect(again.report).toEqual(first.report);
    await makeTicket(db, { clientId: c, closedAt: '2026-10-04T10:00:00+03:00', entries: [{ minutes: 45 }] });
    const redrafted = await draftReport(deps(), c, month);
    expect(redrafted).toMatchObject({ outcome: 'redrafted', report: { id: first.report.id, version: 1, billableMinutes: 75 } });
    await approveReport(db, first.report.id, 'qc');
    await publishReport({ db, blobs, smtp: { send: async () => {} }, messageIdDomain: 'modest.example' }, first.report.id);
    await makeTicket(db, { clientId: c, closedAt: '2026-10-05T10:00:00+03:00', entries: [{ minutes: 15 }] });
    const v2 = await draftReport(deps(), c, month);
    expect(v2).toMatchObject({ outcome: 'new_version', report: { version: 2, status: 'draft', billableMinutes: 90 } });
    const rows = await db.query<{ version: number; status: string; billable_minutes: number }>(
      'select version, status, billable_minutes from reports where client_id = $1 order by version', [c]);
    expect(rows).toEqual([{ version: 1, status: 'published', billable_minutes: 75 }, { version: 2, status: 'draft', billable_minutes: 90 }]);
  });

  test('our details at the foot: the default (our name) changes no stored report; details of our own are a new draft', async () => {
    const c = await makeClient(db, 'ООО «Реквизиты»');
    await makeTicket(db, { clientId: c, closedAt: '2026-10-03T10:00:00+03:00', entries: [{ minutes: 30 }] });
    expect((await draftReport(deps(), c, month)).outcome).toBe('created');
    const byDefault = { ...deps(), companyDetails: { ru: 'Modest Support', en: 'Modest Support' } };
    expect((await draftReport(byDefault, c, month)).outcome).toBe('unchanged');
    const ours = { ...deps(), companyDetails: { ru: 'ООО «Модест», ИНН 7700000000' } };
    expect((await draftReport(ours, c, month)).outcome).toBe('redrafted');
  });

  test('the 80 % and the 100 % package alerts are recorded once each', async () => {
    const c = await makeClient(db, 'ООО «Лимит»', { contract: { packageHours: 10 } });
    const month = { month: '2026-12', clientIds: [c] };
    await makeTicket(db, { clientId: c, closedAt: '2026-12-03T12:00:00+03:00', entries: [{ minutes: 7 * 60 }] });
    expect(await recordPackageAlerts(db, month)).toEqual([]);
    await makeTicket(db, { clientId: c, closedAt: '2026-12-04T12:00:00+03:00', entries: [{ minutes: 60 }] });
    await makeTicket(db, { clientId: c, closedAt: '2026-12-04T13:00:00+03:00', entries: [{ minutes: 600, billable: false }] });
    const first = await recordPackageAlerts(db, month);
    expect(first.map((a) => [a.threshold, a.usedMinutes, a.packageMinutes])).toEqual([[80, 480, 600]]);
    expect(await recordPackageAlerts(db, month)).toEqual([]);
    await makeTicket(db, { clientId: c, closedAt: '2026-12-05T12:00:00+03:00', entries: [{ minutes: 150 }] });
    const twoAtOnce = (await Promise.all([recordPackageAlerts(db, month), recordPackageAlerts(db, month)])).flat();
    expect(twoAtOnce.map((a) => a.threshold)).toEqual([100]);
    expect(await recordPackageAlerts(db, month)).toEqual([]);
  });
});
