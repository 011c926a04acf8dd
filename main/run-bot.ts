import { Queue, Worker } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import type { RegisteredBot } from '../connectors/bitrix24/imbot.js';
import type { BotHealer } from '../bot/bot-healer.js';
import { botHealPorts } from './bot-heal-ports.js';
import type { BotDeps } from '../bot/bot-deps.js';
import { handleBotEvent } from '../bot/handle-bot-event.js';
import { syncDirectory } from '../bot/sync-directory.js';
import { makeBotTick, BOT_TICK } from '../workers/bot-tick.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { invitePerson } from '../portal/accounts/invite-person.js';
import { accountDeps } from './run-cabinet.js';
import { makeRedriveEvents } from '../workers/b24-event-inbox.js';
import { markEventHandled } from '../tickets/store/event-inbox-repo.js';
import { cappedBackoff, DURABLE_JOB, MAX_STALLED_COUNT, QUEUES, sendMailJobId, type B24EventJob } from '../workers/jobs.js';

/**
 * The dispatcher bot in this process: consumes the Bitrix24 events (in order, one at a time,
 * so a Reply click is applied before the text that follows it) and runs the scheduled tick.
 */
export async function runBot(config: Config, core: CoreServices, log: Logger, b24: B24Port, healer: BotHealer,
  registered: RegisteredBot, opts: { appUserId?: number | null } = {}): Promise<() => Promise<void>> {
  const connection = core.redis;
  const prefix = config.redis.queuePrefix;
  const bot = healer.identity;
  const directory = { supportDepartments: config.bot.supportDepartments, developerDepartment: config.bot.developerDepartment };
  const sync = async () => log.info(await syncDirectory(core.db, b24, directory), 'bitrix24 staff directory synced');
  await sync();
  const c = config.bitrix24;
  // `/invite` from the bot opens cabinet accounts exactly as the CLI and the cabinet do.
  const cabinetSmtp = new SmtpSender(config.mail.smtpUrl, config.mail.from, config.mail.sendRatePerSecond);
  const cabinet = accountDeps(config, core, cabinetSmtp);
  const deps: BotDeps = {
    db: core.db, b24, bot, log, now: () => new Date(),
    settings: {
      dispatchDialog: await botHealPorts(config, core, b24).dispatchDialog(registered, null), language: config.defaultLanguage, timeZone: config.timeZone,
      remindIntervalMs: config.bot.remindIntervalMs, workingHours: config.bot.workingHours, reminderListSize: config.bot.reminderListSize,
      publicUrl: config.publicUrl, messageIdDomain: config.mail.messageIdDomain,
      // Our own portal user: the webhook's, or the one who installed the OAuth app.
      webhookUserId: c.mode === 'webhook' ? c.webhookUserId : opts.appUserId ?? null,
    },
    queueMail: async (ids) => { await core.queues.mailOut.add('send', { messageRowIds: ids }, { ...DURABLE_JOB, jobId: sendMailJobId(ids) }); },
    panelLinks: { secret: config.panel.linkSecret, lifetimeMs: config.panel.linkMs },
    noticeRefusal: (err, botId, call) => healer.notice(err, botId, call),
    inviteToCabinet: async (inv) => {
      await invitePerson(cabinet, { clientId: inv.clientId, email: inv.email, name: '', role: inv.role, invitedBy: inv.actor, actor: inv.actor });
    },
  };
  healer.attach(deps);
  const lock = { lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs, maxStalledCount: MAX_STALLED_COUNT };
  const events = new Worker<B24EventJob>(QUEUES.b24Events, async (job) => {
    await handleBotEvent(deps, job.id!, job.data.type, job.data.data);
    await markEventHandled(core.db, job.id!, new Date());
  }, { connection, prefix, concurrency: 1, settings: { backoffStrategy: cappedBackoff }, ...lock });
  const tickQueue = new Queue(QUEUES.bot, { connection, prefix });
  const eventsQueue = new Queue<B24EventJob>(QUEUES.b24Events, { connection, prefix });
  const redriveEvents = makeRedriveEvents(core.db, eventsQueue, log);
  await core.schedules.own({
    queue: tickQueue, id: BOT_TICK, repeat: { every: config.bot.tickMs }, watch: true,
    template: { name: BOT_TICK, opts: { removeOnComplete: true, removeOnFail: 100 } },
  });
  const runTick = makeBotTick(deps, { slowEveryMs: config.bot.taskPollMs, syncEveryMs: config.bot.directorySyncMs, syncDirectory: sync,
    reportReviewers: config.bot.reportReviewers });
  // Scheduled ticks, and the extra ones (BOT_WAKE) the ingest worker asks for after committing mail.
  const tick = new Worker(QUEUES.bot, async (job) => {
    if (job.name === BOT_TICK) await core.schedules.ran(BOT_TICK);
    // A failed look at the kept events must not hold up the tick (posting new tickets).
    await redriveEvents().catch((err: Error) => log.warn({ err: err.message }, 'kept bitrix24 events could not be checked'));
    return runTick();
  },
    { connection, prefix, concurrency: 1, ...lock });
  for (const w of [events, tick]) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, type: job?.name, attempt: job?.attemptsMade, err: err.message }, 'bot job failed'));
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'bot worker error'));
  }
  log.info({ dispatchDialog: deps.settings.dispatchDialog, botId: bot.botId }, 'dispatcher bot started');
  return async () => {
    await Promise.all([events.close(), tick.close()]);
    await Promise.all([tickQueue.close(), eventsQueue.close()]);
    cabinetSmtp.close();
  };
}
