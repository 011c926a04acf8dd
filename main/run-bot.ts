import { Queue, Worker } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { addGroupChat, registerCommand, type BotIdentity } from '../connectors/bitrix24/imbot.js';
import { getState, setState } from '../tickets/store/state-repo.js';
import type { BotDeps } from '../bot/bot-deps.js';
import { handleBotEvent } from '../bot/handle-bot-event.js';
import { TYPED_COMMANDS } from '../bot/handle-command.js';
import { syncDirectory } from '../bot/sync-directory.js';
import { TEXTS } from '../bot/texts.js';
import { REPORT_COMMAND } from '../bot/render-report-review.js';
import { makeBotTick, BOT_TICK } from '../workers/bot-tick.js';
import { cappedBackoff, DURABLE_JOB, QUEUES, sendMailJobId, type B24EventJob } from '../workers/jobs.js';

/** The dispatch chat: the configured one, or one we created once for BOT_DISPATCHERS. */
async function dispatchDialog(config: Config, core: CoreServices, b24: B24Port, bot: BotIdentity): Promise<string> {
  if (config.bot.dispatchDialog) return config.bot.dispatchDialog;
  const key = `bot.dispatch-dialog.${bot.botId}`;
  const known = await getState<string>(core.db, key);
  if (known) return known;
  const lang = config.defaultLanguage;
  const dialogId = await addGroupChat(b24, bot, TEXTS[lang].dispatchChatTitle, config.bot.dispatchers, key);
  await setState(core.db, key, dialogId);
  return dialogId;
}

/**
 * The dispatcher bot in this process: consumes the Bitrix24 events (in order, one at a time,
 * so a Reply click is applied before the text that follows it) and runs the scheduled tick.
 */
export async function runBot(config: Config, core: CoreServices, log: Logger, b24: B24Port, bot: BotIdentity): Promise<() => Promise<void>> {
  const connection = core.redis;
  const prefix = config.redis.queuePrefix;
  for (const command of TYPED_COMMANDS) {
    await registerCommand(b24, bot, command, { ru: TEXTS.ru.commandTitles[command], en: TEXTS.en.commandTitles[command] });
  }
  // The report review's buttons click a hidden command of their own (see render-report-review.ts).
  await registerCommand(b24, bot, REPORT_COMMAND);
  const directory = { supportDepartments: config.bot.supportDepartments, developerDepartment: config.bot.developerDepartment };
  const sync = async () => log.info(await syncDirectory(core.db, b24, directory), 'bitrix24 staff directory synced');
  await sync();
  const c = config.bitrix24;
  const deps: BotDeps = {
    db: core.db, b24, bot, log, now: () => new Date(),
    settings: {
      dispatchDialog: await dispatchDialog(config, core, b24, bot), language: config.defaultLanguage, timeZone: config.timeZone,
      remindIntervalMs: config.bot.remindIntervalMs, workingHours: config.bot.workingHours, reminderListSize: config.bot.reminderListSize,
      publicUrl: config.publicUrl, messageIdDomain: config.mail.messageIdDomain,
      webhookUserId: c.mode === 'webhook' ? c.webhookUserId : null,
    },
    queueMail: async (ids) => { await core.queues.mailOut.add('send', { messageRowIds: ids }, { ...DURABLE_JOB, jobId: sendMailJobId(ids) }); },
  };
  const lock = { lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs };
  const events = new Worker<B24EventJob>(QUEUES.b24Events, (job) => handleBotEvent(deps, job.id!, job.data.type, job.data.data),
    { connection, prefix, concurrency: 1, settings: { backoffStrategy: cappedBackoff }, ...lock });
  const tickQueue = new Queue(QUEUES.bot, { connection, prefix });
  await core.schedules.own({
    queue: tickQueue, id: BOT_TICK, repeat: { every: config.bot.tickMs }, watch: true,
    template: { name: BOT_TICK, opts: { removeOnComplete: true, removeOnFail: 100 } },
  });
  const runTick = makeBotTick(deps, { slowEveryMs: config.bot.taskPollMs, syncEveryMs: 3_600_000, syncDirectory: sync,
    reportReviewers: config.bot.reportReviewers });
  const tick = new Worker(QUEUES.bot, async () => { await core.schedules.ran(BOT_TICK); return runTick(); },
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
