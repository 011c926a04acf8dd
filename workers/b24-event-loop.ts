import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { getState, setState } from '../tickets/store/state-repo.js';
import { fetchEvents, type BotIdentity } from '../connectors/bitrix24/imbot.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import { recordEvents } from '../tickets/store/event-inbox-repo.js';
import type { B24EventJob } from './jobs.js';
import { queueEvents, toInboxEvent } from './b24-event-inbox.js';
import type { Lease } from './lease.js';
import type { EventAttention } from './event-attention.js';

export interface EventLoopOptions {
  idlePollMs: number;
  /** The pace while people may be acting (see event-attention.ts); the idle pace without `attention`. */
  activePollMs?: number;
  attention?: Pick<EventAttention, 'active' | 'mark'>;
  withUserEvents: boolean;
  /** Told when the portal refuses the fetch (e.g. the bot is gone), with the bot id it was made as. */
  onRefusal?(err: unknown, botId: number): void;
}

/**
 * Pulls the bot's events (eventMode "fetch") and queues each as a job. The events are kept in
 * the database in the same transaction that saves the cursor, and the portal forgets events
 * only when the next call passes that cursor, so a crash anywhere neither loses nor repeats a
 * click: events fetched again get the same job id, and events whose jobs Redis lost are
 * queued again from the database (b24-event-inbox.ts).
 */
export class B24EventLoop {
  private stopping = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();
  lastError: string | null = null;
  /** When the current run of failed polls began (null while polls succeed). */
  failingSince: number | null = null;

  constructor(private readonly b24: B24Port, private readonly bot: BotIdentity, private readonly db: Db,
    private readonly queue: Queue<B24EventJob>, private readonly lease: Lease, private readonly opts: EventLoopOptions,
    private readonly log: Logger) {}

  private get cursorKey() { return `b24.events.cursor.${this.bot.botId}`; }

  start(): void {
    this.done = this.run();
  }

  /** Polls now instead of after the current wait (e.g. the bot was just healed). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done;
    await this.lease.release();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const botId = this.bot.botId;
      try {
        // Only the lease holder polls; the others stand by to take over if it dies.
        const more = (await this.lease.hold()) && await this.pollOnce();
        failures = 0;
        this.lastError = null;
        this.failingSince = null;
        await (more ? this.sleep(200) : this.idle());
      } catch (err) {
        this.lastError = (err as Error).message;
        this.failingSince ??= Date.now();
        const delay = Math.min(60_000, 1000 * 2 ** failures++);
        this.log.warn({ err: this.lastError, retryInMs: delay }, 'bitrix24 event fetch failed');
        this.opts.onRefusal?.(err, botId);
        await this.sleep(delay);
      }
    }
  }

  /**
   * Waits the idle pace; but while people may be acting, only the active pace. Attention is
   * looked at every active step, so buttons shown by any process during a long wait shorten it.
   */
  private async idle(): Promise<void> {
    const { idlePollMs, activePollMs, attention } = this.opts;
    if (!attention || !activePollMs || activePollMs >= idlePollMs) {
      await this.sleep(idlePollMs);
      return;
    }
    const until = Date.now() + idlePollMs;
    while (!this.stopping && Date.now() < until) {
      if (!(await this.sleep(Math.min(activePollMs, until - Date.now())))) return;
      if (await attention.active().catch(() => false)) return;
    }
  }

  /** True after `ms`; false when poked or stopped sooner. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(true), ms);
      this.wake = () => { clearTimeout(t); resolve(false); };
    });
  }

  /** One round: fetch, queue, save the cursor. Returns whether more are waiting. */
  async pollOnce(): Promise<boolean> {
    const cursor = await getState<number>(this.db, this.cursorKey);
    const page = await fetchEvents(this.b24, this.bot, cursor, this.opts.withUserEvents);
    const events = page.events.map((e) => toInboxEvent(`b24ev-${this.bot.botId}-${e.eventId}`,
      { source: 'fetch', type: e.type, data: e.data, receivedAt: new Date().toISOString() }));
    if (events.length > 0 || page.nextOffset !== cursor) {
      await this.db.transaction(async (tx) => {
        await recordEvents(tx, events);
        if (page.nextOffset !== cursor) await setState(tx, this.cursorKey, page.nextOffset);
      });
    }
    if (events.length > 0) {
      // Somebody clicked or wrote: the next click (the employee after the department) comes soon.
      this.opts.attention?.mark();
      await queueEvents(this.queue, events);
      this.log.info({ count: events.length, types: [...new Set(events.map((e) => e.name))] }, 'bitrix24 events queued');
    }
    return page.hasMore;
  }
}
