import type { RawMail } from '../connectors/mail/mail-source.js';
import type { InboundMail } from '../tickets/types.js';
import { DURABLE_JOB, ingestJobId } from './jobs.js';
import type { Queues } from './queues.js';

/** Keeps a raw source and parses it; rejects only if it cannot be kept. */
export type KeepAndParse = (raw: Buffer) => Promise<InboundMail>;

/**
 * A completed job now carries its parsed mails, so it is not kept for a day: the job id only
 * has to outlive a crash-and-restart of the intake (the dedupe key covers anything later).
 */
const KEEP_COMPLETED = { age: 3600, count: 1000 };

/**
 * Hands raw mails from a mail source to the ingest queue: each raw source is kept and parsed
 * first, then one job for the slice with an id derived from its copies, so handing the same
 * slice over again after a crash adds nothing.
 */
export function makeAcceptRawMail(keepAndParse: KeepAndParse, queues: Pick<Queues, 'ingest'>) {
  return async (mails: RawMail[]): Promise<void> => {
    if (mails.length === 0) return;
    const parsed = await Promise.all(mails.map((m) => keepAndParse(m.raw)));
    const items = mails.map((m, i) => ({ sourceKey: m.sourceKey, mailbox: m.mailbox, mail: parsed[i] }));
    await queues.ingest.add('ingest', { items },
      { ...DURABLE_JOB, removeOnComplete: KEEP_COMPLETED, jobId: ingestJobId(items.map((i) => i.sourceKey)) });
  };
}
