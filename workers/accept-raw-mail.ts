import type { BlobStore } from '../connectors/mail/blob-store.js';
import type { RawMail } from '../connectors/mail/mail-source.js';
import { DURABLE_JOB, ingestJobId } from './jobs.js';
import type { Queues } from './queues.js';

/**
 * Hands raw mails from a mail source to the ingest queue: the raw sources are stored first
 * (content-addressed), then one job for the slice with an id derived from its copies, so
 * handing the same slice over again after a crash adds nothing.
 */
export function makeAcceptRawMail(blobs: BlobStore, queues: Pick<Queues, 'ingest'>) {
  return async (mails: RawMail[]): Promise<void> => {
    if (mails.length === 0) return;
    const items = await Promise.all(mails.map(async (m) => ({ sourceKey: m.sourceKey, mailbox: m.mailbox, rawSha256: await blobs.put(m.raw) })));
    await queues.ingest.add('ingest', { items }, { ...DURABLE_JOB, jobId: ingestJobId(items.map((i) => i.sourceKey)) });
  };
}
