import crypto from 'node:crypto';
import type { BlobStore } from '../connectors/mail/blob-store.js';
import type { RawMail } from '../connectors/mail/mail-source.js';
import { DURABLE_JOB, ingestJobId } from './jobs.js';
import type { Queues } from './queues.js';

/**
 * Hands raw mails from a mail source to the ingest queue: the raw source is stored first
 * (content-addressed), then one job per copy with a deterministic id, so handing the same
 * copy over again after a crash adds nothing.
 */
export function makeAcceptRawMail(blobs: BlobStore, queues: Pick<Queues, 'ingest'>) {
  return async (mails: RawMail[]): Promise<void> => {
    const jobs = await Promise.all(mails.map(async (m) => {
      const rawSha256 = await blobs.put(m.raw);
      const jobId = ingestJobId(crypto.createHash('sha1').update(m.sourceKey).digest('hex'));
      return { name: 'ingest', data: { sourceKey: m.sourceKey, mailbox: m.mailbox, rawSha256 }, opts: { ...DURABLE_JOB, jobId } };
    }));
    if (jobs.length > 0) await queues.ingest.addBulk(jobs);
  };
}
