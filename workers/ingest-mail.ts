import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { recordInboundMails, type InboundItem, type RecordInboundOptions, type RecordInboundResult } from '../tickets/record-inbound-mails.js';
import { DURABLE_JOB, sendMailJobId, type IngestJob } from './jobs.js';
import type { Queues } from './queues.js';
import { crashPoint } from './crash-point.js';

export interface IngestDeps {
  db: Db;
  queues: Pick<Queues, 'mailOut'>;
  options: Omit<RecordInboundOptions, 'now'>;
  log: Logger;
}

/** Threads a slice of parsed mails into tickets in one transaction, and queues the acknowledgements. */
export function makeIngestMail(deps: IngestDeps) {
  return async (job: Job<IngestJob>) => {
    const items: InboundItem[] = job.data.items.map((it) => ({ mail: it.mail, source: { key: it.sourceKey, mailbox: it.mailbox } }));
    const results = await recordAll(deps, items);
    crashPoint('after-ingest-commit');
    const acks = results.map((r) => r.ackRowId).filter((id): id is number => id !== null);
    if (acks.length > 0) await deps.queues.mailOut.add('send', { messageRowIds: acks }, { ...DURABLE_JOB, jobId: sendMailJobId(acks) });
    for (const [i, r] of results.entries()) {
      deps.log.info({
        ticket: r.ticket.number, source: items[i].source.key, duplicate: r.duplicate, created: r.createdTicket,
        reopened: r.reopened, autoKind: items[i].mail.autoKind, unparsed: items[i].mail.unparsed,
      }, 'mail ingested');
    }
    return { tickets: results.map((r) => r.ticket.number) };
  };
}

/**
 * One transaction for the slice; should it fail, each mail alone, so one bad mail cannot
 * hold the others back. Mails already committed are deduplicated on the retry.
 */
async function recordAll(deps: IngestDeps, items: InboundItem[]): Promise<RecordInboundResult[]> {
  const options = { ...deps.options, now: new Date() };
  try {
    return await recordInboundMails(deps.db, items, options);
  } catch (err) {
    if (items.length === 1) throw err;
    deps.log.warn({ err: (err as Error).message, count: items.length }, 'batch ingest failed; ingesting one by one');
    const results: RecordInboundResult[] = [];
    let firstError: unknown = null;
    for (const item of items) {
      try {
        results.push(...await recordInboundMails(deps.db, [item], options));
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return results;
  }
}
