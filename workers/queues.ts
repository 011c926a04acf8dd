import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type IngestJob, type SendMailJob } from './jobs.js';

export interface Queues {
  ingest: Queue<IngestJob>;
  mailOut: Queue<SendMailJob>;
  maintenance: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string): Queues {
  const ingest = new Queue<IngestJob>(QUEUES.ingest, { connection, prefix });
  const mailOut = new Queue<SendMailJob>(QUEUES.mailOut, { connection, prefix });
  const maintenance = new Queue(QUEUES.maintenance, { connection, prefix });
  return {
    ingest, mailOut, maintenance,
    close: async () => { await Promise.all([ingest.close(), mailOut.close(), maintenance.close()]); },
  };
}
