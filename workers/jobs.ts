import crypto from 'node:crypto';
import type { InboundMail } from '../tickets/types.js';

/** Queue names and job payloads: the one place producers and processors agree on. */
export const QUEUES = {
  ingest: 'ingest',
  mailOut: 'mail-out',
  maintenance: 'maintenance',
  b24Calls: 'b24-calls',
  b24Events: 'b24-events',
  bot: 'bot',
} as const;

/** A slice of one fetch, parsed by the intake: ingested in one transaction, so the database is not the bottleneck. */
export interface IngestJob {
  items: Array<{ sourceKey: string; mailbox: string; mail: InboundMail }>;
}

export interface SendMailJob {
  messageRowIds: number[];
}

export const OUTBOX_SWEEP = 'outbox-sweep';

/** One logical Bitrix24 call; `key` is its idempotency key (and job id). */
export interface B24CallJob {
  key: string;
  method: string;
  params: Record<string, unknown>;
}

/** What a finished B24 call job returns: the result, or the portal's final "no". */
export type B24CallResult =
  | { ok: true; result: unknown; total?: number; next?: number }
  | { ok: false; code: string; description: string };

/** One incoming Bitrix24 event, pulled or pushed, in the shape the portal gave it. */
export interface B24EventJob {
  /** `panel`: effects of an operator panel action, for the bot to run (bot/handle-bot-event.ts). */
  source: 'fetch' | 'push' | 'panel';
  type: string;
  data: Record<string, unknown>;
  receivedAt: string;
}

// Job ids must not contain ':' (BullMQ); they make a repeated add of the same work a no-op.
const digest = (parts: Array<string | number>) => crypto.createHash('sha1').update(parts.join('\n')).digest('hex');
export const ingestJobId = (sourceKeys: string[]) => `ingest-${digest(sourceKeys)}`;
export const sendMailJobId = (messageRowIds: number[]) => `mail-${digest(messageRowIds)}`;

/** Retries for work that must never be dropped: exponential, capped at 10 minutes, ~2 days in all. */
/**
 * How often a job may be found abandoned by a dead process before BullMQ fails it for good.
 * Every job here is idempotent, so one that was running in a killed process is simply taken
 * again; BullMQ's default (1) failed a job for good when two processes died on it in turn
 * (a crash, then another during the recovery), leaving an ingest slice committed but
 * unflagged and every /readyz red until someone removed the job.
 */
export const MAX_STALLED_COUNT = 10;

export const DURABLE_JOB = {
  attempts: 300,
  backoff: { type: 'capped' },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

export function cappedBackoff(attemptsMade: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.min(attemptsMade - 1, 20));
}
