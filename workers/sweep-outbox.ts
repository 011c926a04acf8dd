import type { Db } from '../tickets/store/db.js';
import { listPendingOutbound } from '../tickets/store/message-repo.js';
import { DURABLE_JOB, sendMailJobId } from './jobs.js';
import type { Queues } from './queues.js';

/**
 * Re-queues outgoing mail committed but never queued (a crash between commit and enqueue).
 * Deterministic job ids make this a no-op for mail whose job still exists.
 */
export function makeSweepOutbox(db: Db, queues: Pick<Queues, 'mailOut'>, graceMs = 60_000) {
  return async () => {
    const ids = await listPendingOutbound(db, new Date(Date.now() - graceMs));
    if (ids.length > 0) {
      await queues.mailOut.addBulk(ids.map((messageRowId) => ({
        name: 'send', data: { messageRowId }, opts: { ...DURABLE_JOB, jobId: sendMailJobId(messageRowId) },
      })));
    }
    return { requeued: ids.length };
  };
}
