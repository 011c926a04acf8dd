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
import { cappedBackoff, DURABLE_JOB, QUEUES, sendMailJobId, type B24EventJob } from '../workers/jobs.js';

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
    noticeRefusal: (err, botId, call) => healer.notice(err, botId, call),
  };
  healer.attach(deps);
  const lock = { lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs };
  const events = new Worker<B24EventJob>(QUEUES.b24Events, (job) => handleBotEvent(deps, job.id!, job.data.type, job.data.data),
    { connection, prefix, concurrency: 1, settings: { backoffStrategy: cappedBackoff }, ...lock });
  const tickQueue = new Queue(QUEUES.bot, { connection, prefix });
  await core.schedules.own({
    queue: tickQueue, id: BOT_TICK, repeat: { every: config.bot.tickMs }, watch: true,
    template: { name: BOT_TICK, opts: { removeOnComplete: true, removeOnFail: 100 } },
  });
  const runTick = makeBotTick(deps, { slowEveryMs: config.bot.taskPollMs, syncEveryMs: config.bot.directorySyncMs, syncDirectory: sync,
    reportReviewers: config.bot.reportReviewers });
  // Scheduled ticks, and the extra ones (BOT_WAKE) the ingest worker asks for after committing mail.
  const tick = new Worker(QUEUES.bot, async (job) => { if (job.name === BOT_TICK) await core.schedules.ran(BOT_TICK); return runTick(); },
    { connection, prefix, concurrency: 1, ...lock });
  for (const w of [events, tick]) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, type: job?.name, attempt: job?.attemptsMade, err: err.message }, 'bot job failed'));
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'bot worker error'));
  }
  log.info({ dispatchDialog: deps.settings.dispatchDialog, botId: bot.botId }, 'dispatcher bot started');
  return async () => {
    await Promise.all([events.close(), tick.close()]);
    await tickQueue.close();
  };
}
