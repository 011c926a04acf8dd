import type { Db } from '../tickets/store/db.js';
import type { Queues } from './queues.js';
import { describeMail } from './uncommittable-mail.js';

/** Enough to name the problem on a health page; the logs have every one. */
const LIST_LIMIT = 20;

export interface StuckMailReport {
  ok: boolean;
  detail: {
    /** Mails whose commit failed and that wait for another try (or ran out of tries). */
    stuck: Array<ReturnType<typeof describeMail> & { attempts: number; error: string }>;
    /** Mails the store refused that were kept as "unparsed" with the error, in the last day. */
    keptUnparsed: Array<{ ticket: number; mailbox: string | null; source: string | null; error: string }>;
  };
}

/**
 * Readiness of mail intake as a whole (any process may report it: the state lives in Redis
 * and the database): not ready while a mail is stuck before its commit, and the mails kept
 * as "unparsed" because the store refused them, so an administrator sees them by name.
 */
export function makeCheckStuckMail(db: Db, queues: Pick<Queues, 'ingest'>) {
  return async (): Promise<StuckMailReport> => {
    const jobs = await queues.ingest.getJobs(['delayed', 'failed', 'waiting', 'active'], 0, 200);
    const stuck = jobs.filter((j) => j && j.attemptsMade > 0).slice(0, LIST_LIMIT).flatMap((j) => j.data.items.map((it) => ({
      ...describeMail({ mail: it.mail, source: { key: it.sourceKey, mailbox: it.mailbox } }),
      attempts: j.attemptsMade, error: j.failedReason ?? '',
    })));
    const kept = await db.query<{ number: number; mailbox: string | null; source_key: string | null; parse_error: string }>(
      `select t.number, r.mailbox, r.source_key, m.parse_error from messages m join tickets t on t.id = m.ticket_id
         left join mail_receipts r on r.message_row_id = m.id
        where m.direction = 'in' and m.parse_error like 'not stored as parsed:%' and m.created_at > now() - interval '1 day'
        order by m.id desc limit $1`, [LIST_LIMIT]);
    return {
      ok: stuck.length === 0,
      detail: {
        stuck: stuck.slice(0, LIST_LIMIT),
        keptUnparsed: kept.map((k) => ({ ticket: Number(k.number), mailbox: k.mailbox, source: k.source_key, error: k.parse_error })),
      },
    };
  };
}
