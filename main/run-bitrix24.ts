import fs from 'node:fs';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import type { ReadinessCheck } from './health-server.js';
import { webhookTransport, type B24Transport } from '../connectors/bitrix24/b24-transport.js';
import { storedOAuthTransport } from '../connectors/bitrix24/oauth-store.js';
import { RatePacer } from '../connectors/bitrix24/rate-pacer.js';
import { CallBatcher } from '../connectors/bitrix24/call-batcher.js';
import { registerBot, registerCommand, type BotIdentity } from '../connectors/bitrix24/imbot.js';
import { BUTTON_COMMAND } from '../bot/button-codec.js';
import { b24Gateway } from '../workers/b24-gateway.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { makeB24Call } from '../workers/b24-call.js';
import { B24EventLoop } from '../workers/b24-event-loop.js';
import { Lease } from '../workers/lease.js';
import { runBot } from './run-bot.js';
import { cappedBackoff, QUEUES, type B24CallJob, type B24EventJob } from '../workers/jobs.js';

const EVENT_LOOP_RED_MS = 30_000;

export interface Bitrix24Runtime {
  b24: B24Port;
  eventsQueue: Queue<B24EventJob>;
  /** Resolves once the bot is registered (and, in fetch mode, its event loop runs). */
  bot: Promise<BotIdentity>;
  check: ReadinessCheck;
  stop(): Promise<void>;
}

export interface Bitrix24Roles {
  /** Run the shared call queue's processor (worker processes). */
  processCalls: boolean;
  /** Register the bot and pull its events (fetch mode). */
  runBot: boolean;
}

export async function runBitrix24(config: Config, core: CoreServices, log: Logger, roles: Bitrix24Roles): Promise<Bitrix24Runtime | null> {
  const c = config.bitrix24;
  if (c.mode === 'off') return null;
  const connection = core.redis;
  const prefix = config.redis.queuePrefix;
  const caPem = c.caFile ? fs.readFileSync(c.caFile, 'utf8') : undefined;
  const callsQueue = new Queue<B24CallJob>(QUEUES.b24Calls, { connection, prefix });
  const eventsQueue = new Queue<B24EventJob>(QUEUES.b24Events, { connection, prefix });
  const eventsConnection = connection.duplicate();
  const queueEvents = new QueueEvents(QUEUES.b24Calls, { connection: eventsConnection, prefix });
  // Every caller waiting for its answer listens on these: hundreds at once is normal.
  queueEvents.setMaxListeners(0);
  queueEvents.on('error', (err) => log.warn({ err: err.message }, 'bitrix24 call events: connection error'));
  callsQueue.setMaxListeners(0);
  const b24 = b24Gateway(callsQueue, queueEvents);
  const closers: Array<() => Promise<void>> = [];
  if (roles.processCalls) {
    const transport: B24Transport = c.mode === 'webhook'
      ? webhookTransport(c.webhookUrl, { caPem })
      : storedOAuthTransport(core.db, { clientId: c.clientId, clientSecret: c.clientSecret }, { caPem });
    const portal = c.mode === 'webhook' ? c.portalHost : 'oauth';
    const pacer = new RatePacer(core.redis, `${prefix}:b24:bucket:${portal}`, c.limits);
    const batcher = new CallBatcher(transport, pacer);
    const worker = new Worker(QUEUES.b24Calls, makeB24Call(batcher, core.redis, `${prefix}:b24:done`),
      { connection, prefix, concurrency: 200, settings: { backoffStrategy: cappedBackoff }, lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs });
    worker.on('failed', (job, err) => log.warn({ method: job?.data.method, attempt: job?.attemptsMade, err: err.message }, 'bitrix24 call failed'));
    // E.g. a job that Redis lost while it ran; without a listener the emitter would throw.
    worker.on('error', (err) => log.error({ queue: worker.name, err: err.message }, 'worker error'));
    closers.push(() => worker.close());
  }
  let loop: B24EventLoop | null = null;
  let stopBot: (() => Promise<void>) | null = null;
  let stopping = false;
  const bot = roles.runBot
    ? registerBot(b24, c.bot, c.mode === 'webhook' ? { botToken: c.botToken } : { webhookUrl: `${c.publicUrl}/b24/events` }).then(async (identity) => {
      // Buttons are clicks on a hidden command; it must be registered or clicks go nowhere.
      await registerCommand(b24, identity, BUTTON_COMMAND);
      log.info({ botId: identity.botId, mode: c.mode }, 'bitrix24 bot registered');
      if (c.mode === 'webhook') {
        // Task comments reach us as the webhook user's own events (it is an auditor of every
        // escalation task), pulled with the bot's: one loop, one cursor, no public URL.
        await b24.call('im.v2.Event.subscribe', {});
        loop = new B24EventLoop(b24, identity, core.db, eventsQueue, new Lease(core.redis, `${prefix}:b24:event-loop`),
          { idlePollMs: c.eventPollMs, withUserEvents: true }, log);
        loop.start();
      }
      stopBot = await runBot(config, core, log, b24, identity);
      if (stopping) await stopBot();
      return identity;
    })
    : new Promise<BotIdentity>(() => {});
  bot.catch((err: Error) => log.error({ err: err.message }, 'bitrix24 bot registration failed'));
  return {
    b24, eventsQueue, bot,
    // A poll that failed now and then (a flaky portal, retried with backoff) is a detail; a
    // portal that fails every poll for EVENT_LOOP_RED_MS makes the process unready.
    check: async () => ({
      ok: !loop?.failingSince || Date.now() - loop.failingSince < EVENT_LOOP_RED_MS,
      detail: { mode: c.mode, eventLoop: loop?.lastError ?? 'ok' },
    }),
    stop: async () => {
      stopping = true;
      // A bot still starting (registering, reading the staff) stops itself when it gets there.
      await Promise.race([bot.catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
      await loop?.stop();
      await stopBot?.();
      for (const close of closers) await close();
      await queueEvents.close();
      eventsConnection.disconnect();
      await Promise.all([callsQueue.close(), eventsQueue.close()]);
    },
  };
}
