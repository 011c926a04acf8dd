import crypto from 'node:crypto';
import { Job, QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { B24ApiError } from '../connectors/bitrix24/b24-errors.js';
import type { B24Params } from '../connectors/bitrix24/b24-transport.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { DURABLE_JOB, type B24CallJob, type B24CallResult } from './jobs.js';

// Job ids must not contain ':' (BullMQ).
const jobIdOf = (key: string) => `b24-${key.replace(/:/g, '_')}`;

/** While waiting for an answer, look this often at the call's job itself (gone, or finished unheard). */
const JOB_CHECK_MS = 5000;

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
 * The answers to our calls, read from the queue's event stream starting at its current end.
 * BullMQ's default start, '$', means "what comes after my first read reaches Redis", and a
 * process just started sends that read only after its first calls may be answered: in the
 * chaos check a restarted worker's bot registration was answered 175 ms after it was queued,
 * the answer went unheard, and the worker stayed unready for the ten minutes of a call's wait.
 * A concrete id leaves no such gap (nor the one between two idle reads, which re-read '$').
 */
export async function openCallEvents(queue: Queue<B24CallJob>, connection: Redis, o: { autorun?: boolean } = {}): Promise<QueueEvents> {
  const last = await connection.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1);
  return new QueueEvents(queue.name, { connection, prefix: queue.opts.prefix, lastEventId: last[0]?.[0] ?? '0-0', autorun: o.autorun ?? true });
}

/**
 * Waits for a call's job to finish. The finish is normally heard on the event stream, but an
 * event can still go unheard (a connection cut in the middle of a read), so while waiting we
 * look at the job itself now and then and take its answer from there once it is finished.
 * A Redis that came back empty has forgotten the job, and its answer would never come: the
 * caller (a bot tick, a click) would hang until the timeout. So when the job is gone we queue
 * the same call again under the same key (its idempotency key makes that safe: a message finds
 * itself by its UUID).
 */
async function answerOf(queue: Queue<B24CallJob>, events: QueueEvents, first: Job<B24CallJob>,
  again: () => Promise<Job<B24CallJob>>, waitMs: number): Promise<B24CallResult> {
  const deadline = Date.now() + waitMs;
  let job = first;
  for (;;) {
    const finished = job.waitUntilFinished(events, Math.max(1, deadline - Date.now())) as Promise<B24CallResult>;
    finished.catch(() => { /* awaited below, or abandoned when the job is gone or read directly */ });
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<'check'>((r) => { timer = setTimeout(() => r('check'), JOB_CHECK_MS); });
      const r = await Promise.race([finished, tick]).finally(() => clearTimeout(timer));
      if (r !== 'check') return r;
      const seen = await finishedJob(queue, job.id!);
      if (seen === 'gone') break;
      if (seen) return seen.answer();
    }
    job = await again();
  }
}

/** A finished job's answer as waitUntilFinished would give it; null while it runs; 'gone' when Redis has no such job. */
async function finishedJob(queue: Queue<B24CallJob>, id: string): Promise<{ answer(): B24CallResult } | null | 'gone'> {
  const state = await queue.getJobState(id);
  if (state === 'unknown') return 'gone';
  if (state !== 'completed' && state !== 'failed') return null;
  const job = await Job.fromId<B24CallJob, B24CallResult>(queue, id);
  if (!job) return 'gone';
  return {
    answer: () => {
      if (state === 'failed') throw new Error(job.failedReason);
      return job.returnvalue;
    },
  };
}
