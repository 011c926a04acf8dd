import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CallBatcher } from '../connectors/bitrix24/call-batcher.js';
import { isTransient } from '../connectors/bitrix24/b24-errors.js';
import type { B24CallJob, B24CallResult } from './jobs.js';
import { crashPoint } from './crash-point.js';

const DONE_TTL_S = 7 * 24 * 3600;

/**
 * Runs one logical Bitrix24 call through this process's batcher. A call whose key already
 * succeeded returns the stored result instead of calling again, so a job retried after a
 * crash never posts twice. Transient failures throw and retry; a final "no" is returned.
 */
export function makeB24Call(batcher: CallBatcher, redis: Redis, donePrefix: string) {
  return async (job: Job<B24CallJob>): Promise<B24CallResult> => {
    const doneKey = `${donePrefix}:${job.data.key}`;
    const stored = await redis.get(doneKey);
    if (stored) return JSON.parse(stored) as B24CallResult;
    const outcome = await batcher.submit({ method: job.data.method, params: job.data.params });
    if (!outcome.ok) {
      if (isTransient(outcome.error)) throw outcome.error;
      return { ok: false, code: outcome.error.code, description: outcome.error.description };
    }
    crashPoint('after-portal-acted');
    const result: B24CallResult = { ok: true, result: outcome.result, total: outcome.total, next: outcome.next };
    await redis.set(doneKey, JSON.stringify(result), 'EX', DONE_TTL_S);
    return result;
  };
}

