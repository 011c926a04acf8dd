import crypto from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import { B24ApiError } from '../connectors/bitrix24/b24-errors.js';
import type { B24Params } from '../connectors/bitrix24/b24-transport.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { DURABLE_JOB, type B24CallJob, type B24CallResult } from './jobs.js';

// Job ids must not contain ':' (BullMQ).
const jobIdOf = (key: string) => `b24-${key.replace(/:/g, '_')}`;

/** While waiting for an answer, look this often whether the call's job still exists. */
const VANISHED_CHECK_MS = 5000;

export function b24Gateway(queue: Queue<B24CallJob>, events: QueueEvents, waitMs = 10 * 60_000): B24Port {
  const add = (method: string, params: B24Params, key: string) =>
    queue.add(method, { key, method, params }, { ...DURABLE_JOB, jobId: jobIdOf(key) });
  return {
    async call<T>(method: string, params: B24Params, key: string = crypto.randomUUID()) {
      const r = await answerOf(queue, events, await add(method, params, key), () => add(method, params, key), waitMs);
      if (!r.ok) throw new B24ApiError(method, r.code, r.description, null);
      return { result: r.result as T, total: r.total, next: r.next };
    },
    async post(method, params, key) {
      await add(method, params, key);
    },
  };
}

/**
 * Waits for a call's job to finish. A Redis that came back empty has forgotten the job, and
 * its answer would never come: the caller (a bot tick, a click) would hang until the timeout.
 * So while waiting we look now and then, and queue the same call again under the same key
 * when it is gone (its idempotency key makes that safe: a message finds itself by its UUID).
 */
async function answerOf(queue: Queue<B24CallJob>, events: QueueEvents, first: Job<B24CallJob>,
  again: () => Promise<Job<B24CallJob>>, waitMs: number): Promise<B24CallResult> {
  const deadline = Date.now() + waitMs;
  let job = first;
  for (;;) {
    const finished = job.waitUntilFinished(events, Math.max(1, deadline - Date.now())) as Promise<B24CallResult>;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<'check'>((r) => { timer = setTimeout(() => r('check'), VANISHED_CHECK_MS); });
      const r = await Promise.race([finished, tick]).finally(() => clearTimeout(timer));
      if (r !== 'check') return r;
      if (await queue.getJobState(job.id!) === 'unknown') break;
    }
    finished.catch(() => { /* abandoned: its job is gone */ });
    job = await again();
  }
}
