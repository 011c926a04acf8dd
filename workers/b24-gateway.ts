import crypto from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import { B24ApiError } from '../connectors/bitrix24/b24-errors.js';
import type { B24Params } from '../connectors/bitrix24/b24-transport.js';
import { DURABLE_JOB, type B24CallJob, type B24CallResult } from './jobs.js';

export interface B24Answer<T> {
  result: T;
  total?: number;
  next?: number;
}

/** How the rest of the app calls Bitrix24: every call is a durable job on the shared queue. */
export interface B24Port {
  /** Calls and waits for the answer. `key` makes it idempotent (default: a fresh one, for reads). */
  call<T = unknown>(method: string, params: B24Params, key?: string): Promise<B24Answer<T>>;
  /** Queues a call and returns at once; it runs (and retries) in the background. */
  post(method: string, params: B24Params, key: string): Promise<void>;
}

// Job ids must not contain ':' (BullMQ).
const jobIdOf = (key: string) => `b24-${key.replace(/:/g, '_')}`;

export function b24Gateway(queue: Queue<B24CallJob>, events: QueueEvents, waitMs = 10 * 60_000): B24Port {
  const add = (method: string, params: B24Params, key: string) =>
    queue.add(method, { key, method, params }, { ...DURABLE_JOB, jobId: jobIdOf(key) });
  return {
    async call<T>(method: string, params: B24Params, key: string = crypto.randomUUID()) {
      const job = await add(method, params, key);
      const r = await job.waitUntilFinished(events, waitMs) as B24CallResult;
      if (!r.ok) throw new B24ApiError(method, r.code, r.description, null);
      return { result: r.result as T, total: r.total, next: r.next };
    },
    async post(method, params, key) {
      await add(method, params, key);
    },
  };
}

/** Reads a whole list method page by page with `start` (reference §7: 50 per page, `next`). */
export async function listAll<T>(b24: B24Port, method: string, params: B24Params = {}): Promise<T[]> {
  const all: T[] = [];
  let start: number | undefined = 0;
  while (start !== undefined) {
    const page: B24Answer<T[]> = await b24.call<T[]>(method, { ...params, start });
    all.push(...page.result);
    start = page.next;
  }
  return all;
}
