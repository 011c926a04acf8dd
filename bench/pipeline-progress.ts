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
  /** Acknowledgements referenced by a mail-out job in any state (queued so far); null when not read. */
  acksQueued: number | null;
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
    /**
     * `acks`: also count the acknowledgements queued, which reads every mail-out job from Redis;
     * the watcher asks for it only once the mails are in, so it does not take the CPU the
     * pipeline it measures needs.
     */
    async read(o: { acks: boolean }): Promise<Progress> {
      const [{ rows: [db] }, i, m] = await Promise.all([
        // One pass over the mails, not three.
        pool.query<{ inbound: number; outbound: number; tickets: number; sent: number }>(`select
          count(*) filter (where direction = 'in')::int as inbound, count(*) filter (where direction = 'out')::int as outbound,
          count(*) filter (where direction = 'out' and send_state = 'sent')::int as sent, (select count(*)::int from tickets) as tickets
          from messages`),
        ingest.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
        o.acks ? mailOut.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized'], 0, -1) : null,
      ]);
      const ids = m && new Set(m.flatMap((j) => (j.data as { messageRowIds: number[] }).messageRowIds));
      return {
        inbound: db.inbound, outbound: db.outbound, tickets: db.tickets, ingestFailed: i.failed,
        ingestOpen: i.waiting + i.active + i.delayed + i.prioritized, acksQueued: ids ? ids.size : null, acksSent: db.sent,
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
