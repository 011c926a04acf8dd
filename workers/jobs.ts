/** Queue names and job payloads: the one place producers and processors agree on. */
export const QUEUES = {
  ingest: 'ingest',
  mailOut: 'mail-out',
  maintenance: 'maintenance',
} as const;

export interface IngestJob {
  sourceKey: string;
  mailbox: string;
  rawSha256: string;
}

export interface SendMailJob {
  messageRowId: number;
}

export const OUTBOX_SWEEP = 'outbox-sweep';

// Job ids must not contain ':' (BullMQ); they make a repeated add of the same work a no-op.
export const ingestJobId = (sourceHash: string) => `ingest-${sourceHash}`;
export const sendMailJobId = (messageRowId: number) => `mail-${messageRowId}`;

/** Retries for work that must never be dropped: exponential, capped at 10 minutes, ~2 days in all. */
export const DURABLE_JOB = {
  attempts: 300,
  backoff: { type: 'capped' },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

export function cappedBackoff(attemptsMade: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.min(attemptsMade - 1, 20));
}
