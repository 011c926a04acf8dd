import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * A Redis lease so that, of several processes, only one runs a singleton loop (the event
 * pull loop). The holder renews it; if the holder dies, another takes over after `ttlMs`.
 */
export class Lease {
  private readonly owner = crypto.randomUUID();
  private held = false;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly ttlMs = 15_000) {}

  /** Takes or renews the lease; true while we hold it. Call it more often than ttlMs. */
  async hold(): Promise<boolean> {
    if (this.held) this.held = Number(await this.redis.eval(RENEW, 1, this.key, this.owner, String(this.ttlMs))) === 1;
    if (!this.held) this.held = (await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX')) === 'OK';
    return this.held;
  }

  async release(): Promise<void> {
    if (this.held) await this.redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`, 1, this.key, this.owner);
    this.held = false;
  }
}
