import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Notices that Redis came back empty (restarted without persistence, a failover to an empty
 * replica, a FLUSHALL): a marker key every process agrees on disappears or changes. Whatever a
 * process keeps in memory about work it handed to Redis (mail it queued, schedulers it made)
 * is then stale, and its owners are told to hand it over again.
 */
export class RedisEpoch {
  private known: string | null = null;
  private readonly listeners: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private readonly onReady = () => { void this.check(); };

  constructor(private readonly redis: Redis, private readonly key: string, private readonly everyMs: number, private readonly log: Logger) {}

  onEmptied(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.redis.on('ready', this.onReady);
    this.timer = setInterval(() => { void this.check(); }, this.everyMs).unref();
    void this.check();
  }

  stop(): void {
    this.redis.off('ready', this.onReady);
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads the marker (setting it when absent); tells the listeners when it is not the one we knew. */
  check(): Promise<void> {
    this.checking ??= (async () => {
      await this.redis.set(this.key, crypto.randomUUID(), 'NX');
      const now = await this.redis.get(this.key);
      const emptied = this.known !== null && now !== this.known;
      this.known = now;
      if (!emptied) return;
      this.log.warn('redis came back empty; handing over again what this process had queued');
      for (const l of this.listeners) l();
    })().catch(() => { /* Redis down: the next check (or 'ready') tries again */ }).finally(() => { this.checking = null; });
    return this.checking;
  }
}
