import type { Redis } from 'ioredis';

/**
 * Leaky bucket in Redis, one per portal, shared by every process of ours: each request adds
 * one, the bucket drains `drainPerSecond`, and a request waits while it would overflow
 * `capacity`. Time comes from Redis, so processes on different machines agree.
 * Returns 0 when granted, else the milliseconds to wait.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local drain = tonumber(ARGV[1]) / 1000
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'level', 'ts')
local level = tonumber(state[1]) or 0
local ts = tonumber(state[2]) or now
level = math.max(0, level - (now - ts) * drain)
if level + 1 <= capacity then
  redis.call('HSET', KEYS[1], 'level', level + 1, 'ts', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / drain) + 1000)
  return 0
end
redis.call('HSET', KEYS[1], 'level', level, 'ts', now)
return math.ceil((level + 1 - capacity) / drain)
`;

export interface PacerLimits {
  /** The portal's drain rate (2/s; Enterprise 5/s). */
  drainPerSecond: number;
  /** The portal's burst before it blocks (50; Enterprise 250). */
  burst: number;
}

export class RatePacer {
  private readonly drain: number;
  private readonly capacity: number;

  /**
   * We pace at 85% of the portal's drain with a bucket of 2, not the portal's 50: the limit
   * must hold over any 10 s window, the portal's own bucket stays nearly empty for people and
   * other apps on the same portal, and batching gives us 50 calls per request anyway.
   */
  constructor(private readonly redis: Redis, private readonly key: string, limits: PacerLimits) {
    this.drain = limits.drainPerSecond * 0.85;
    this.capacity = Math.min(2, limits.burst);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = Number(await this.redis.eval(ACQUIRE, 1, this.key, String(this.drain), String(this.capacity)));
      if (wait === 0) return;
      if (signal?.aborted) throw new Error('aborted');
      await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
    }
  }
}
