import { Queue, Worker } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { SmtpProbe } from '../connectors/mail/smtp-probe.js';
import { SentFolder } from '../connectors/mail/sent-folder.js';
import { ackText } from '../connectors/mail/render-outgoing-mail.js';
import { cappedBackoff, MAX_STALLED_COUNT, OUTBOX_SWEEP, QUEUES } from '../workers/jobs.js';
import { makeIngestMail } from '../workers/ingest-mail.js';
import type { RecordInboundOptions } from '../tickets/record-inbound-mails.js';
import { BOT_WAKE } from '../workers/bot-tick.js';
import { makeSendMail } from '../workers/send-mail.js';
import { makeHoldForIntake } from '../workers/intake-backlog.js';
import { makeSweepOutbox } from '../workers/sweep-outbox.js';
import { startReportWorkers } from '../reports/start-report-workers.js';

/** How the ingest workers record inbound mail, from the settings (bench:ingest's record floor records alike). */
export function recordInboundOptions(config: Config): Omit<RecordInboundOptions, 'now'> {
  return {
    ownAddresses: config.mail.ownAddresses, messageIdDomain: config.mail.messageIdDomain,
    defaultLanguage: config.defaultLanguage, reopenDays: config.reopenDays, ackText: ackText(config.companyName),
  };
}

/** The job processors: ingest, outbound mail, maintenance, monthly reports. Returns a stop function. */
export async function runWorkers(config: Config, core: CoreServices, log: Logger): Promise<() => Promise<void>> {
  // Before the workers take jobs (and the process reports ready): a burst of mail after a
  // start finds the pool's connections open and readied for the mail tables it writes.
  await core.db.warm();
  const connection = core.redis;
  const prefix = config.redis.queuePrefix;
  const settings = { backoffStrategy: cappedBackoff };
  const lock = { lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs, maxStalledCount: MAX_STALLED_COUNT };
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from, config.mail.sendRatePerSecond);
  const smtpProbe = new SmtpProbe(config.mail.smtpUrl, config.mail.smtpProbeMs);
  smtpProbe.start();
  // A detail, not a failure: with SMTP down this worker still ingests mail and runs the bot,
  // and outgoing mail only waits in its queue; a 503 would get a healthy worker restarted.
  core.checks.smtp = async () => ({ ok: true, detail: smtpProbe.current() });
  // With a portal, the bot's tick runs as soon as new mail is committed (see run-bot.ts).
  const botQueue = config.bitrix24.mode === 'off' ? null : new Queue(QUEUES.bot, { connection, prefix });
  const ingest = new Worker(QUEUES.ingest, makeIngestMail({
    db: core.db, queues: core.queues, log,
    wakeBot: botQueue ? () => botQueue.add(BOT_WAKE, {}, { jobId: BOT_WAKE, removeOnComplete: true, removeOnFail: true }) : undefined,
    options: recordInboundOptions(config),
  }), { connection, prefix, concurrency: config.mail.ingestConcurrency, settings, ...lock });
  const holdForIntake = makeHoldForIntake(core.redis, prefix, config.mail.sendHoldMs);
  const mailOut = new Worker(QUEUES.mailOut, makeSendMail({
    db: core.db, smtp, companyName: config.companyName, signatures: config.mailSignature, log, holdForIntake, autoMailsPerAddressPerDay: config.mail.autoRepliesPerAddressPerDay,
    blobs: core.blobs,
    sentCopies: config.mail.sentFolder ? new SentFolder(config.mail.sentFolder) : undefined,
  }),
    { connection, prefix, concurrency: config.mail.sendConcurrency, settings, ...lock });
  const sweep = makeSweepOutbox(core.db, core.queues);
  const maintenance = new Worker(QUEUES.maintenance, async (job) => {
    if (job.name !== OUTBOX_SWEEP) return undefined;
    await core.schedules.ran(OUTBOX_SWEEP);
    return sweep();
  }, { connection, prefix });
  await core.schedules.own({
    queue: core.queues.maintenance, id: OUTBOX_SWEEP, repeat: { every: config.outboxSweepMs }, watch: true,
    template: { name: OUTBOX_SWEEP, opts: { removeOnComplete: true, removeOnFail: 100 } },
  });
  // Monthly reports: drafted on the 1st for review; published only once approved.
  const reports = await startReportWorkers({
    connection, prefix, db: core.db, blobs: core.blobs, companyName: config.companyName, companyDetails: config.companyDetails, zone: config.timeZone,
    publish: { smtp, messageIdDomain: config.mail.messageIdDomain }, lockMs: config.jobLockMs, log,
    schedule: async (queue, schedules) => { for (const s of schedules) await core.schedules.own({ queue, ...s }); },
  });
  const workers = [ingest, mailOut, maintenance];
  for (const w of workers) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  log.info({ queues: workers.map((w) => w.name) }, 'workers started');
  return async () => {
    await Promise.all(workers.map((w) => w.close()));
    await reports.stop();
    await botQueue?.close();
    smtp.close();
    smtpProbe.stop();
  };
}
