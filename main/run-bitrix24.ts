import fs from 'node:fs';
import { Queue, Worker } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import type { ReadinessCheck } from './health-server.js';
import { webhookTransport, type B24Transport } from '../connectors/bitrix24/b24-transport.js';
import { loadTokens, storedOAuthTransport } from '../connectors/bitrix24/oauth-store.js';
import { bindAppEvents } from '../connectors/bitrix24/app-events.js';
import { OAuthBotLife } from './oauth-bot-life.js';
import { RatePacer } from '../connectors/bitrix24/rate-pacer.js';
import { CallBatcher } from '../connectors/bitrix24/call-batcher.js';
import type { BotIdentity } from '../connectors/bitrix24/imbot.js';
import { BotHealer } from '../bot/bot-healer.js';
import { botHealPorts } from './bot-heal-ports.js';
import { b24Gateway, openCallEvents } from '../workers/b24-gateway.js';
import { EventAttention, markAttentionOnButtons } from '../workers/event-attention.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { makeB24Call } from '../workers/b24-call.js';
import { B24EventLoop } from '../workers/b24-event-loop.js';
import { Lease } from '../workers/lease.js';
import { runBot } from './run-bot.js';
import { cappedBackoff, MAX_STALLED_COUNT, QUEUES, type B24CallJob, type B24EventJob } from '../workers/jobs.js';
import { waitAtMost } from './wait-at-most.js';

const EVENT_LOOP_RED_MS = 30_000;

export interface Bitrix24Runtime {
  b24: B24Port;
  eventsQueue: Queue<B24EventJob>;
  /** Resolves once the bot is registered and runs (in OAuth mode: after the first verified install). */
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
  const queueEvents = await openCallEvents(callsQueue, eventsConnection);
  // Every caller waiting for its answer listens on these: hundreds at once is normal.
  queueEvents.setMaxListeners(0);
  queueEvents.on('error', (err) => log.warn({ err: err.message }, 'bitrix24 call events: connection error'));
  callsQueue.setMaxListeners(0);
  // A bot that pulls its events polls faster while people may be acting on it (event-attention.ts).
  const attention = new EventAttention(core.redis, `${prefix}:b24:attention`, c.eventActiveWindowMs);
  const gateway = b24Gateway(callsQueue, queueEvents);
  const b24 = c.mode === 'webhook' ? markAttentionOnButtons(gateway, attention) : gateway;
  const closers: Array<() => Promise<void>> = [];
  if (roles.processCalls) {
    const transport: B24Transport = c.mode === 'webhook'
      ? webhookTransport(c.webhookUrl, { caPem })
      : storedOAuthTransport(core.db, { clientId: c.clientId, clientSecret: c.clientSecret, portalUrl: c.portalUrl, oauthServerUrl: c.oauthServerUrl }, { caPem });
    const pacer = new RatePacer(core.redis, `${prefix}:b24:bucket:${c.portalHost}`, c.limits);
    const batcher = new CallBatcher(transport, pacer);
    const worker = new Worker(QUEUES.b24Calls, makeB24Call(batcher, core.redis, `${prefix}:b24:done`),
      { connection, prefix, concurrency: 200, settings: { backoffStrategy: cappedBackoff }, lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs, maxStalledCount: MAX_STALLED_COUNT });
    worker.on('failed', (job, err) => log.warn({ method: job?.data.method, attempt: job?.attemptsMade, err: err.message }, 'bitrix24 call failed'));
    // E.g. a job that Redis lost while it ran; without a listener the emitter would throw.
    worker.on('error', (err) => log.error({ queue: worker.name, err: err.message }, 'worker error'));
    closers.push(() => worker.close());
  }
  let loop: B24EventLoop | null = null;
  let stopBot: (() => Promise<void>) | null = null;
  let stopping = false;
  let healer: BotHealer | null = null;
  let resolveBot: (identity: BotIdentity) => void = () => {};
  let rejectBot: (err: Error) => void = () => {};
  const bot = new Promise<BotIdentity>((resolve, reject) => { resolveBot = resolve; rejectBot = reject; });
  bot.catch(() => { /* logged where it fails */ });
  let starting: Promise<unknown> = Promise.resolve();
  /**
   * Registers the bot (and in OAuth mode binds the app's events) and runs it; returns how to
   * stop it. The healer registers it again whenever the portal loses the bot or its chat.
   */
  const startBot = async (appUserId: number | null): Promise<() => Promise<void>> => {
    // One identity object for the whole bot: a heal that registers it again changes its id everywhere.
    const h = new BotHealer({ botId: 0 }, botHealPorts(config, core, b24), log,
      { minChatHealIntervalMs: 60_000, maxRetryMs: 60_000, afterHeal: () => loop?.poke() });
    healer = h;
    if (c.mode === 'oauth') {
      const bound = await bindAppEvents(b24, `${c.publicUrl}/b24/events`);
      if (bound.length > 0) log.info({ events: bound }, 'bitrix24 application events bound');
    }
    const registered = await h.register();
    const identity = h.identity;
    log.info({ botId: identity.botId, mode: c.mode }, 'bitrix24 bot registered');
    let pull: B24EventLoop | null = null;
    if (c.mode === 'webhook') {
      // Task comments reach us as the webhook user's own events (it is an auditor of every
      // escalation task), pulled with the bot's: one loop, one cursor, no public URL.
      pull = new B24EventLoop(b24, identity, core.db, eventsQueue, new Lease(core.redis, `${prefix}:b24:event-loop`),
        { idlePollMs: c.eventPollMs, activePollMs: c.eventActivePollMs, attention, withUserEvents: true,
          onRefusal: (err, botId) => h.notice(err, botId) }, log);
      pull.start();
      loop = pull;
    }
    const stopRunning = await runBot(config, core, log, b24, h, registered, { appUserId });
    resolveBot(identity);
    return async () => { await h.stop(); await pull?.stop(); await stopRunning(); };
  };
  let life: OAuthBotLife | null = null;
  if (roles.runBot && c.mode === 'oauth') {
    // The app's own user (who installed it) is an auditor of escalation tasks, so it may read their chats.
    let appUserId: number | null = null;
    life = new OAuthBotLife(async () => {
      const tokens = await loadTokens(core.db);
      appUserId = tokens?.userId || null;
      return tokens?.applicationToken ?? null;
    }, () => startBot(appUserId), c.eventPollMs, log);
    life.begin();
  } else if (roles.runBot) {
    starting = startBot(null).then(async (stop) => {
      stopBot = stop;
      if (stopping) await stop();
    }, (err: Error) => {
      log.error({ err: err.message }, 'bitrix24 bot did not start');
      rejectBot(err);
    });
  }
  const check: ReadinessCheck = async () => {
    const registration = healer?.status() ?? { ok: true, detail: 'not run here' };
    if (c.mode === 'oauth') {
      const installed = (await loadTokens(core.db)) !== null;
      // The web process must stay reachable to receive the install: it only reports.
      if (!life) return { ok: true, detail: { mode: c.mode, installation: installed ? 'installed' : 'not installed' } };
      const state = life.state;
      return { ok: state === 'running' && registration.ok, detail: { mode: c.mode, bot: state === 'running' && registration.detail !== 'ok' ? registration.detail : state } };
    }
    // A poll that failed now and then (a flaky portal, retried with backoff) is a detail; a
    // portal that fails every poll for EVENT_LOOP_RED_MS makes the process unready.
    return {
      ok: registration.ok && (!loop?.failingSince || Date.now() - loop.failingSince < EVENT_LOOP_RED_MS),
      detail: { mode: c.mode, bot: registration.detail, eventLoop: loop?.lastError ?? 'ok' },
    };
  };
  return {
    b24, eventsQueue, bot, check,
    stop: async () => {
      stopping = true;
      await healer?.stop();
      // A bot still starting (registering, reading the staff) stops itself when it gets there.
      await waitAtMost(starting, 3000);
      await life?.end();
      await stopBot?.();
      for (const close of closers) await close();
      await queueEvents.close();
      eventsConnection.disconnect();
      await Promise.all([callsQueue.close(), eventsQueue.close()]);
    },
  };
}
