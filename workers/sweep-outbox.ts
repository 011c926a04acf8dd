import type { Db } from '../tickets/store/db.js';
import { listPendingOutbound } from '../tickets/store/message-repo.js';
import { DURABLE_JOB, sendMailJobId } from './jobs.js';
import type { Queues } from './queues.js';

/**
 * Re-queues outgoing mail committed but not sent a while later (a crash between commit and
 * enqueue, a job that gave up). Sending claims each mail, so a second job for it is harmless.
 */
export function makeSweepOutbox(db: Db, queues: Pick<Queues, 'mailOut'>, graceMs = 5 * 60_000) {
  return async () => {
    const ids = await listPendingOutbound(db, new Date(Date.now() - graceMs));
    if (ids.length > 0) {
      // The minute in the id lets a later sweep queue the same mails again if this job gave up.
      const minute = Math.floor(Date.now() / 60_000);
      await queues.mailOut.add('send', { messageRowIds: ids }, { ...DURABLE_JOB, jobId: sendMailJobId([minute, ...ids]) });
    }
    return { requeued: ids.length };
  };
}
