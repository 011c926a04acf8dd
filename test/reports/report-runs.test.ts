import type { Queue } from 'bullmq';
import type { Db } from '../../tickets/store/db.js';
import { claimMonthReview, isMonthReviewer, listMonthsToReview, markBatchDrafted, startReportRun } from '../../reports/report-runs.js';
import { queueApprovedReports } from '../../reports/queue-approved-reports.js';
import { makeClient, openTestDb } from './factories.js';

let db: Db;
beforeAll(async () => { db = await openTestDb('postgres'); });
afterAll(async () => { await db.close(); });

const at = new Date('2026-11-01T03:05:00+03:00');
const since = new Date('2026-10-25T00:00:00Z');

test('a run is drafted when its last batch is, a batch retried counts once, and its review is claimed once', async () => {
  await startReportRun(db, { month: '2026-09', run: '1', clients: 45, batches: 3, at });
  await startReportRun(db, { month: '2026-09', run: '1', clients: 45, batches: 3, at }); // the monthly job retried
  expect(await markBatchDrafted(db, '2026-09', '1', 1, at)).toBe(false);
  expect(await markBatchDrafted(db, '2026-09', '1', 1, at)).toBe(false);
  expect(await markBatchDrafted(db, '2026-09', '1', 21, at)).toBe(false);
  expect(await listMonthsToReview(db, since)).toEqual([]);
  const [a, b] = await Promise.all([markBatchDrafted(db, '2026-09', '1', 41, at), markBatchDrafted(db, '2026-09', '1', 41, at)]);
  expect([a, b].filter(Boolean)).toHaveLength(1);
  expect(await listMonthsToReview(db, since)).toEqual(['2026-09']);
  expect(await listMonthsToReview(db, new Date(at.getTime() + 1000))).toEqual([]);
  expect(await isMonthReviewer(db, '2026-09', 5)).toBe(false);
  const claims = await Promise.all([0, 1].map(() => db.transaction((tx) => claimMonthReview(tx, '2026-09', [5, 9], at))));
  expect(claims.filter(Boolean)).toHaveLength(1);
  expect(await listMonthsToReview(db, since)).toEqual([]);
  expect(await isMonthReviewer(db, '2026-09', 9)).toBe(true);
  expect(await isMonthReviewer(db, '2026-09', 2)).toBe(false);
  // A month with no clients is drafted as soon as it starts.
  await startReportRun(db, { month: '2026-08', run: '7', clients: 0, batches: 0, at });
  expect(await listMonthsToReview(db, since)).toEqual(['2026-08']);
});

test('each approval is queued for publishing once; a report approved again after a re-draft is queued again', async () => {
  const added: string[] = [];
  const queue = { addBulk: async (jobs: Array<{ opts: { jobId: string } }>) => { added.push(...jobs.map((j) => j.opts.jobId)); return []; } } as unknown as Queue;
  const client = await makeClient(db, 'ООО «Публикация»');
  const [{ id }] = await db.query<{ id: number }>(`insert into reports (client_id, month, version, content_sha256, pdf_sha256, pdf_bytes, data,
      held, ticket_count, billable_minutes, missing_time_count, open_count, status, approved_at)
    values ($1, '2026-10-01', 1, 'c', 'p', 1, '{}', false, 0, 0, 0, 0, 'approved', clock_timestamp()) returning id`, [client]);
  expect(await queueApprovedReports(db, queue)).toBe(1);
  expect(await queueApprovedReports(db, queue)).toBe(0);
  await db.query(`update reports set status = 'draft', approved_at = null where id = $1`, [id]);
  expect(await queueApprovedReports(db, queue)).toBe(0);
  await db.query(`update reports set status = 'approved', approved_at = clock_timestamp() where id = $1`, [id]);
  expect(await queueApprovedReports(db, queue)).toBe(1);
  expect(await queueApprovedReports(db, queue)).toBe(0);
  expect(added).toHaveLength(2);
  expect(new Set(added).size).toBe(2);
  expect(added.every((j) => j.startsWith(`report-publish-${id}-`))).toBe(true);
});
