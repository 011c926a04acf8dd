import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { recordInboundMail, type RecordInboundOptions } from '../tickets/record-inbound-mail.js';
import { parseInboundMail } from '../connectors/mail/parse-inbound-mail.js';
import type { BlobStore } from '../connectors/mail/blob-store.js';
import { DURABLE_JOB, sendMailJobId, type IngestJob } from './jobs.js';
import type { Queues } from './queues.js';

export interface IngestDeps {
  db: Db;
  blobs: BlobStore;
  queues: Pick<Queues, 'mailOut'>;
  maxAttachmentBytes: number;
  options: Omit<RecordInboundOptions, 'now'>;
  log: Logger;
}

/** Parses one stored raw mail, threads it into a ticket, and queues the acknowledgement. */
export function makeIngestMail(deps: IngestDeps) {
  return async (job: Job<IngestJob>) => {
    const raw = await deps.blobs.get(job.data.rawSha256).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new UnrecoverableError(`raw message ${job.data.rawSha256} is missing`);
      throw err;
    });
    const mail = await parseInboundMail(raw, { blobs: deps.blobs, maxAttachmentBytes: deps.maxAttachmentBytes });
    const result = await recordInboundMail(deps.db, mail, { key: job.data.sourceKey, mailbox: job.data.mailbox },
      { ...deps.options, now: new Date() });
    if (result.ackRowId) {
      await deps.queues.mailOut.add('send', { messageRowId: result.ackRowId }, { ...DURABLE_JOB, jobId: sendMailJobId(result.ackRowId) });
    }
    deps.log.info({
      ticket: result.ticket.number, source: job.data.sourceKey, duplicate: result.duplicate, created: result.createdTicket,
      reopened: result.reopened, autoKind: mail.autoKind, unparsed: mail.unparsed,
    }, 'mail ingested');
    return { ticket: result.ticket.number, duplicate: result.duplicate };
  };
}
