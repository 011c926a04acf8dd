import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Db } from '../../tickets/store/db.js';
import { BlobStore } from '../../connectors/mail/blob-store.js';
import { startReportWorkers, type ReportWorkers } from '../../reports/start-report-workers.js';
import { REPORT_JOBS } from '../../reports/report-jobs.js';
import { listLatestReports } from '../../reports/report-repo.js';
import { eventually } from '../harness/wait.js';
import { makeClient, makeEmployee, makeTicket, openTestDb } from './factories.js';

let db: Db;
let redis: Redis;
let workers: ReportWorkers;
let now = new Date('2026-11-01T03:00:00+03:00');

beforeAll(async () => {
  db = await openTestDb('postgres');
  redis = new Redis(process.env.TEST_REDIS_URL!, { maxRetriesPerRequest: null });
  workers = await startReportWorkers({
    connection: redis, prefix: `t${crypto.randomBytes(4).toString('hex')}`, db, companyName: 'Modest Support',
    blobs: new BlobStore(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-report-jobs-'))),
    now: () => now,
  });
});
afterAll(async () => {
  await workers.worker.close();
  await workers.queue.obliterate({ force: true });
  await workers.stop();
  redis.disconnect();
  await db.close();
});

test('the monthly run on the 1st drafts last month\'s report for every client with a contract or activity, through the queue', async () => {
  const a = await makeClient(db, 'ООО «С договором»');
  const b = await makeClient(db, 'Без договора', { contract: null });
  await makeTicket(db, { clientId: b, closedAt: '2026-10-15T12:00:00+03:00', entries: [{ minutes: 30 }] });
  const idle = await makeClient(db, 'Idle, no contract', { contract: null });
  await workers.queue.add(REPORT_JOBS.monthly, {}, { timestamp: now.getTime() });
  const reports = await eventually('two drafted reports', async () => {
    const r = await listLatestReports(db, '2026-10');
    return r.length === 2 ? r : null;
  });
  expect(reports.map((r) => r.clientId).sort()).toEqual([a, b].sort());
  expect(reports.find((r) => r.clientId === b)).toMatchObject({ status: 'draft', ticketCount: 1, billableMinutes: 30, version: 1 });
  expect(reports.map((r) => r.clientId)).not.toContain(idle);
});

test('crossing 80 % and then 100 % of the package records each alert once, however often the sweep runs', async () => {
  now = new Date('2026-12-10T12:00:00+03:00');
  const manager = await makeEmployee(db, 'Мария Иванова');
  const c = await makeClient(db, 'ООО «Почти всё»', { contract: { packageHours: 5, managerId: manager } });
  await makeTicket(db, { clientId: c, closedAt: '2026-12-09T12:00:00+03:00', entries: [{ minutes: 250 }] });
  const alerts = () => db.query<{ threshold: number; month: string }>(
    `select threshold, to_char(month, 'YYYY-MM') as month from package_alerts where client_id = $1 order by threshold`, [c]);
  const sweep = () => workers.queue.add(REPORT_JOBS.alertSweep, {});
  const sweepsDone = () => eventually('the sweeps to finish', async () => {
    const n = await workers.queue.getJobCounts('waiting', 'active', 'delayed');
    return n.waiting + n.active + n.delayed === 0;
  });
  await Promise.all([sweep(), sweep()]);
  await eventually('the 80 % alert', async () => (await alerts()).length === 1);
  await makeTicket(db, { clientId: c, closedAt: '2026-12-10T11:00:00+03:00', entries: [{ minutes: 60 }] });
  await Promise.all([sweep(), sweep(), sweep()]);
  await sweepsDone();
  // The bot's tick tells the manager (test/reports/report-bot.test.ts); the sweep only records.
  expect(await alerts()).toEqual([{ threshold: 80, month: '2026-12' }, { threshold: 100, month: '2026-12' }]);
});

test('a monthly run for the month in progress fails for good and drafts nothing; with force it drafts', async () => {
  now = new Date('2026-12-10T12:00:00+03:00');
  const c = await makeClient(db, 'ООО «Середина месяца»');
  await makeTicket(db, { clientId: c, closedAt: '2026-12-05T12:00:00+03:00', entries: [{ minutes: 40 }] });
  const early = await workers.queue.add(REPORT_JOBS.monthly, { month: '2026-12' }, { attempts: 5 });
  await eventually('the early run refused', async () => (await early.getState()) === 'failed');
  const refused = (await workers.queue.getJob(early.id!))!;
  expect(refused.attemptsMade).toBe(1);
  expect(refused.failedReason).toMatch(/^report\.month_not_over: 2026-12 is not over yet/);
  expect(await db.query(`select run from report_runs where month = '2026-12-01'`)).toEqual([]);
  expect(await listLatestReports(db, '2026-12')).toEqual([]);

  await workers.queue.add(REPORT_JOBS.monthly, { month: '2026-12', force: true });
  const drafted = await eventually('the forced draft', async () => {
    const r = (await listLatestReports(db, '2026-12')).find((x) => x.clientId === c);
    return r ?? null;
  });
  expect(drafted).toMatchObject({ status: 'draft', billableMinutes: 40 });
});
