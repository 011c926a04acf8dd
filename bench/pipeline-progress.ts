import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '../workers/jobs.js';

export interface Progress {
  inbound: number;
  outbound: number;
  tickets: number;
  /** Ingest jobs (each a slice of mails) not finished yet, and failed ones. */
  ingestOpen: number;
  ingestFailed: number;
  /** Acknowledgements referenced by a mail-out job in any state (queued so far). */
  acksQueued: number;
  acksSent: number;
}

export interface StageStats {
  /** Epoch ms: first and last ingest job queued by the intake. */
  firstQueued: number;
  lastQueued: number;
  firstStarted: number;
  lastFinished: number;
  /** Per job, ms: waiting in the queue, and processing (parse + commit + ack queued). */
  waitMs: { p50: number; p95: number };
  runMs: { p50: number; p95: number; mean: number };
}

const percentile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

/** Reads how far the pipeline got: the database (what is committed) and the queues. */
export function openProgress(databaseUrl: string, redisUrl: string, prefix: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => { /* reported by the next query */ });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const ingest = new Queue(QUEUES.ingest, { connection: redis, prefix });
  const mailOut = new Queue(QUEUES.mailOut, { connection: redis, prefix });
  return {
    async read(): Promise<Progress> {
      const [{ rows: [db] }, i, m] = await Promise.all([
        pool.query<{ inbound: number; outbound: number; tickets: number; sent: number }>(`select
          (select count(*)::int from messages where direction = 'in') as inbound,
          (select count(*)::int from messages where direction = 'out') as outbound,
          (select count(*)::int from messages where direction = 'out' and send_state = 'sent') as sent,
          (select count(*)::int from tickets) as tickets`),
        ingest.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
        mailOut.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized'], 0, -1),
      ]);
      const ids = new Set(m.flatMap((j) => (j.data as { messageRowIds: number[] }).messageRowIds));
      return {
        inbound: db.inbound, outbound: db.outbound, tickets: db.tickets, ingestFailed: i.failed,
        ingestOpen: i.waiting + i.active + i.delayed + i.prioritized, acksQueued: ids.size, acksSent: db.sent,
      };
    },
    async stages(): Promise<StageStats> {
      const jobs = await ingest.getJobs(['completed'], 0, -1);
      const wait = jobs.map((j) => j.processedOn! - j.timestamp).sort((a, b) => a - b);
      const run = jobs.map((j) => j.finishedOn! - j.processedOn!).sort((a, b) => a - b);
      return {
        firstQueued: Math.min(...jobs.map((j) => j.timestamp)),
        lastQueued: Math.max(...jobs.map((j) => j.timestamp)),
        firstStarted: Math.min(...jobs.map((j) => j.processedOn!)),
        lastFinished: Math.max(...jobs.map((j) => j.finishedOn!)),
        waitMs: { p50: percentile(wait, 0.5), p95: percentile(wait, 0.95) },
        runMs: { p50: percentile(run, 0.5), p95: percentile(run, 0.95), mean: run.reduce((a, b) => a + b, 0) / (run.length || 1) },
      };
    },
    /** Inbound messages as stored: Message-ID, subject, ticket. */
    async inboundRows(): Promise<Array<{ message_id: string; subject: string; ticket_id: number }>> {
      return (await pool.query<{ message_id: string; subject: string; ticket_id: number }>(
        `select message_id, subject, ticket_id::int as ticket_id from messages where direction = 'in'`)).rows;
    },
    async close(): Promise<void> {
      await Promise.all([ingest.close(), mailOut.close()]);
      redis.disconnect();
      await pool.end();
    },
  };
}
