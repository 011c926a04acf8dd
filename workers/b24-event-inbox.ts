import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { forgetHandledEvents, listUnhandledEvents, markEventHandled, type InboxEvent } from '../tickets/store/event-inbox-repo.js';
import { DURABLE_JOB, type B24EventJob } from './jobs.js';

/** How long a kept event may wait unhandled before we look whether its job still exists. */
export const REDRIVE_AFTER_MS = 30_000;
const KEEP_HANDLED_MS = 7 * 24 * 3600_000;

/** The queued form of kept events (same job ids: queueing one twice is one job). */
export async function queueEvents(queue: Queue<B24EventJob>, events: InboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queue.addBulk(events.map((e) => ({ name: e.name, data: e.data as unknown as B24EventJob, opts: { ...DURABLE_JOB, jobId: e.jobId } })));
}

export function toInboxEvent(jobId: string, data: B24EventJob): InboxEvent {
  return { jobId, name: data.type, data: data as unknown as Record<string, unknown> };
}

/**
 * Puts back the events whose jobs Redis lost (it came back empty) in the order they came;
 * a job that is still there is left to run (waiting, retrying), one that completed without
 * its mark (a crash in between) is marked. Handling is idempotent by the event's id, so a
 * click handled just before the loss is not applied twice. Run from the bot's tick.
 */
export function makeRedriveEvents(db: Db, queue: Queue<B24EventJob>, log: Logger, now: () => Date = () => new Date()) {
  let forgotAt = 0;
  return async (): Promise<number> => {
    const stale = await listUnhandledEvents(db, new Date(now().getTime() - REDRIVE_AFTER_MS));
    const lost: InboxEvent[] = [];
    for (const e of stale) {
      const job = await queue.getJob(e.jobId);
      if (!job) lost.push(e);
      else if (await job.isCompleted()) await markEventHandled(db, e.jobId, now());
    }
    await queueEvents(queue, lost);
    if (lost.length > 0) log.warn({ count: lost.length }, 'bitrix24 events whose jobs Redis lost queued again');
    if (now().getTime() - forgotAt > 3600_000) {
      forgotAt = now().getTime();
      await forgetHandledEvents(db, new Date(forgotAt - KEEP_HANDLED_MS));
    }
    return lost.length;
  };
}
