export interface RateLimitOptions {
  /** Requests drained per second (2 on most plans, 5 on Enterprise). */
  drainPerSec: number;
  /** The level above which requests are refused (50, or 250 on Enterprise). */
  burst: number;
}

/**
 * The portal's leaky bucket (reference §0, §7): each request adds one, the level drains at a
 * steady rate, and while it would pass the burst the portal answers 503 QUERY_LIMIT_EXCEEDED.
 */
export class LeakyBucket {
  private level = 0;
  private last: number;

  constructor(private readonly opts: RateLimitOptions, private readonly now: () => number) {
    this.last = now();
  }

  /** Takes one slot; false when the request must be refused. Refused requests add nothing. */
  take(): boolean {
    this.drain();
    if (this.level + 1 > this.opts.burst) return false;
    this.level += 1;
    return true;
  }

  current(): number {
    this.drain();
    return this.level;
  }

  reset(): void {
    this.level = 0;
    this.last = this.now();
  }

  private drain(): void {
    const t = this.now();
    this.level = Math.max(0, this.level - ((t - this.last) / 1000) * this.opts.drainPerSec);
    this.last = t;
  }
}
