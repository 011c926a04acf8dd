import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { cleanInboundMail } from '../tickets/clean-inbound-mail.js';
import { recordInboundMails, type InboundItem, type RecordInboundOptions, type RecordInboundResult } from '../tickets/record-inbound-mails.js';
import { DURABLE_JOB, sendMailJobId, type IngestJob } from './jobs.js';
import type { Queues } from './queues.js';
import { describeMail, isTransientStoreError, keptAsUnparsed } from './uncommittable-mail.js';
import { crashPoint } from './crash-point.js';

export interface IngestDeps {
  db: Db;
  queues: Pick<Queues, 'mailOut'>;
  options: Omit<RecordInboundOptions, 'now'>;
  log: Logger;
  /**
   * Runs the bot's tick now rather than at its next scheduled one, so a new ticket reaches the
   * dispatch chat about a tick sooner; best effort (the schedule picks up what a lost wake missed).
   */
  wakeBot?: () => Promise<unknown>;
}

/**
 * Tries a mail gets before it is kept as "unparsed" with its error: enough to ride out a
 * deadlock or a lost connection (the job retries 1 s, then 2 s later), few enough that a
 * mail PostgreSQL will never take does not sit in the queue for days.
 */
export const COMMIT_TRIES = 3;

/** Threads a slice of parsed mails into tickets in one transaction, and queues the acknowledgements. */
export function makeIngestMail(deps: IngestDeps) {
  return async (job: Job<IngestJob>) => {
    // Cleaned here, whoever parsed it: text PostgreSQL refuses (NUL) must not hold a mail back.
    const items: InboundItem[] = job.data.items.map((it) => ({ mail: cleanInboundMail(it.mail), source: { key: it.sourceKey, mailbox: it.mailbox } }));
    const results = await recordAll(deps, items, job.attemptsMade + 1 >= COMMIT_TRIES);
    crashPoint('after-ingest-commit');
    const acks = results.map((r) => r.ackRowId).filter((id): id is number => id !== null);
    if (acks.length > 0) await deps.queues.mailOut.add('send', { messageRowIds: acks }, { ...DURABLE_JOB, jobId: sendMailJobId(acks) });
    await deps.wakeBot?.().catch((err: Error) => deps.log.debug({ err: err.message }, 'bot not woken'));
    for (const [i, r] of results.entries()) {
      deps.log.info({
        ticket: r.ticket.number, source: items[i].source.key, duplicate: r.duplicate, created: r.createdTicket,
        reopened: r.reopened, autoKind: items[i].mail.autoKind, unparsed: items[i].mail.unparsed,
      }, 'mail ingested');
      // Tickets opened by replies that came before this mail, now joined into its ticket.
      if (r.merged.length > 0) deps.log.info({ ticket: r.ticket.number, merged: r.merged }, 'tickets merged into their thread');
    }
    return { tickets: results.map((r) => r.ticket.number) };
  };
}

/**
 * One transaction for the slice; should it fail, each mail alone, so one bad mail cannot
 * hold the others back. A mail that fails alone fails the job (the others are committed,
 * and deduplicated on the retry); on the last try it is kept as "unparsed" with its error
 * instead. Results keep the order of the items.
 */
async function recordAll(deps: IngestDeps, items: InboundItem[], lastTry: boolean): Promise<RecordInboundResult[]> {
  const options = { ...deps.options, now: new Date() };
  try {
    return await recordInboundMails(deps.db, items, options);
  } catch (err) {
    if (items.length > 1) deps.log.warn({ err: (err as Error).message, count: items.length }, 'batch ingest failed; ingesting one by one');
    const results: RecordInboundResult[] = [];
    let firstError: unknown = null;
    for (const item of items) {
      try {
        if (items.length === 1) throw err; // it failed alone already
        results.push(...await recordInboundMails(deps.db, [item], options));
      } catch (e) {
        if (!lastTry || isTransientStoreError(e)) {
          deps.log.error({ ...describeMail(item), err: (e as Error).message }, 'mail could not be committed; will retry');
          firstError ??= e;
          continue;
        }
        results.push(await keepUncommittable(deps, item, e as Error, options));
      }
    }
    if (firstError) throw firstError;
    return results;
  }
}

/** The last try: the mail stored as unparsed, with less and less of it, until the store takes it. */
async function keepUncommittable(deps: IngestDeps, item: InboundItem, err: Error, options: RecordInboundOptions): Promise<RecordInboundResult> {
  let last = err;
  for (const mail of keptAsUnparsed(item.mail, err)) {
    try {
      const [result] = await recordInboundMails(deps.db, [{ ...item, mail }], options);
      deps.log.error({ ...describeMail(item), err: err.message, ticket: result.ticket.number },
        'mail could not be committed; kept as unparsed with the error');
      return result;
    } catch (e) {
      last = e as Error;
    }
  }
  deps.log.error({ ...describeMail(item), err: last.message }, 'mail could not be committed, not even as unparsed');
  throw last;
}
