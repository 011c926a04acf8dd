import crypto from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import { B24ApiError } from '../connectors/bitrix24/b24-errors.js';
import type { B24Params } from '../connectors/bitrix24/b24-transport.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { DURABLE_JOB, type B24CallJob, type B24CallResult } from './jobs.js';

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
