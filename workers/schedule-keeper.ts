import type { Queue, RepeatOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

// Job schedulers live in Redis. A Redis that comes back empty (restarted without persistence,
// a failover to an empty replica, a FLUSHALL) forgets them, and nothing repeats any more
// while every process looks healthy. So each process keeps the schedulers it owns: it puts
// back any that is missing shortly after Redis (re)connects and on a timer, and readiness
// turns red while a schedule it depends on is missing or has not fired for three of its intervals.

export interface ScheduleSpec {
  queue: Queue;
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  template: { name: string; data?: Record<string, unknown>; opts?: Record<string, unknown> };
  /** Readiness watches it: red after three intervals without a run. */
  watch?: boolean;
}

/** Missing this many intervals in a row turns readiness red. */
const MISSED_INTERVALS = 3;
/**
 * A run still at work counts as the schedule firing for this long. BullMQ makes a scheduler's
 * next job only when a worker takes the current one, so while every worker of the queue is in
 * a long run (the bot announcing a backlog through a flaky portal) no new run starts, though
 * nothing is wrong with the schedule: the chaos check saw the bot tick "missing" 17 s while
 * both workers posted cards. A run longer than a Bitrix24 call may wait (ten minutes) is stuck.
 */
const BUSY_RUN_LIMIT_MS = 10 * 60_000;
/** After Redis says 'ready', give BullMQ's own connections a moment before looking. */
const AFTER_READY_MS = 1000;

export interface ScheduleStatus {
  ok: boolean;
  detail: Record<string, { everySeconds: number; lastRunSecondsAgo: number | null; busySecondsAgo?: number; missing?: true }>;
}

export class ScheduleKeeper {
  private readonly specs = new Map<string, ScheduleSpec>();
  /** Per schedule: when this process last saw it run, or started waiting for its first run. */
  private readonly lastRun = new Map<string, number>();
  /** Per schedule: since when Redis has had no run time for it (emptied), so a process that never ran it does not go red at once. */
  private readonly unknownSince = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readyTimer: NodeJS.Timeout | null = null;
  private ensuring: Promise<void> | null = null;
  private readonly onReady = () => {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => { void this.ensureAll(); }, AFTER_READY_MS).unref();
  };

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly checkEveryMs: number,
    private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** Registers a schedule this process owns and creates it (idempotent: upsert). */
  async own(spec: ScheduleSpec): Promise<void> {
    this.specs.set(spec.id, spec);
    if (spec.watch) this.lastRun.set(spec.id, this.now());
    await this.upsert(spec);
  }

  /** Call when a scheduled job starts running (any process may run it; all learn it through Redis). */
  async ran(id: string): Promise<void> {
    this.lastRun.set(id, this.now());
    await this.redis.set(this.runKey(id), String(this.now()), 'PX', 24 * 3600_000);
  }

  start(): void {
    this.redis.on('ready', this.onReady);
    this.timer = setInterval(() => { void this.ensureAll(); }, this.checkEveryMs).unref();
  }

  stop(): void {
    this.redis.off('ready', this.onReady);
    if (this.timer) clearInterval(this.timer);
    if (this.readyTimer) clearTimeout(this.readyTimer);
  }

  /** Puts back every owned scheduler that Redis no longer has. */
  ensureAll(): Promise<void> {
    this.ensuring ??= (async () => {
      for (const spec of this.specs.values()) {
        try {
          if (await spec.queue.getJobScheduler(spec.id)) continue;
          await this.upsert(spec);
          this.log.warn({ queue: spec.queue.name, scheduler: spec.id }, 'job scheduler was missing in Redis; re-created');
        } catch (err) {
          this.log.warn({ scheduler: spec.id, err: (err as Error).message }, 'could not check a job scheduler');
        }
      }
    })().finally(() => { this.ensuring = null; });
    return this.ensuring;
  }

  /**
   * Readiness: every watched schedule exists in Redis and ran (in any process) within three of
   * its intervals, or a run of its queue is still at work (not for longer than BUSY_RUN_LIMIT_MS).
   */
  async status(): Promise<ScheduleStatus> {
    const detail: ScheduleStatus['detail'] = {};
    let ok = true;
    for (const spec of this.specs.values()) {
      if (!spec.watch || !spec.repeat.every) continue;
      const shared = Number(await this.redis.get(this.runKey(spec.id))) || 0;
      if (shared) this.unknownSince.delete(spec.id);
      else if (!this.unknownSince.has(spec.id)) this.unknownSince.set(spec.id, this.now());
      const last = Math.max(shared, this.lastRun.get(spec.id) ?? 0, this.unknownSince.get(spec.id) ?? 0);
      const ago = this.now() - last;
      const exists = Boolean(await spec.queue.getJobScheduler(spec.id));
      const busy = ago >= MISSED_INTERVALS * spec.repeat.every && exists && await this.busySince(spec);
      const fresh = ago < MISSED_INTERVALS * spec.repeat.every || Boolean(busy);
      detail[spec.id] = {
        everySeconds: spec.repeat.every / 1000, lastRunSecondsAgo: Math.round(ago / 100) / 10,
        ...(busy ? { busySecondsAgo: Math.round((this.now() - busy) / 100) / 10 } : {}), ...(exists ? {} : { missing: true as const }),
      };
      ok &&= fresh && exists;
    }
    return { ok, detail };
  }

  /** When the oldest run still at work in the schedule's queue (any process) started, if within the limit. */
  private async busySince(spec: ScheduleSpec): Promise<number | null> {
    const started = (await spec.queue.getActive(0, 50)).map((j) => j.processedOn ?? 0)
      .filter((t) => t > 0 && this.now() - t < BUSY_RUN_LIMIT_MS);
    return started.length > 0 ? Math.min(...started) : null;
  }

  private runKey(id: string): string {
    return `${this.prefix}:schedule-ran:${id}`;
  }

  private async upsert(s: ScheduleSpec): Promise<void> {
    await s.queue.upsertJobScheduler(s.id, s.repeat, s.template);
  }
}
