import type { Redis } from 'ioredis';

// Incoming mail goes before outgoing. When an intake works through a backlog (a burst, or
// the mail that piled up while it was down), every core is needed to turn that mail into
// tickets the dispatchers can see; the acknowledgements and other outgoing mail can follow
// seconds later. The intake announces its backlog per mailbox in one sorted set (member:
// mailbox, score: when the announcement lapses, so a crashed intake's lapses by itself), and
// senders wait while it is not empty, for a bounded time.

const backlogKey = (prefix: string) => `${prefix}:intake-backlog`;
/** An announcement lapses unless renewed within this (the intake renews it every slice). */
const ANNOUNCE_TTL_MS = 5000;
const POLL_MS = 100;

/** For a mail source: how many fetched mails it still has to hand over (0: none). */
export function makeBacklogAnnouncer(redis: Redis, prefix: string) {
  return async (mailbox: string, remaining: number): Promise<void> => {
    if (remaining > 0) await redis.zadd(backlogKey(prefix), Date.now() + ANNOUNCE_TTL_MS, mailbox);
    else await redis.zrem(backlogKey(prefix), mailbox);
  };
}

/**
 * For a sender: resolves at once when no intake has a backlog; otherwise once none has, but
 * never later than `maxHoldMs` after this process first saw the current backlog, so that a
 * long one delays outgoing mail by that much at most and then no more. One Redis read per
 * 100 ms serves every waiting send.
 */
export function makeHoldForIntake(redis: Redis, prefix: string, maxHoldMs: number) {
  let busySince: number | null = null;
  let checkedAt = 0;
  let check: Promise<void> | null = null;
  const refresh = async () => {
    const now = Date.now();
    const busy = (await redis.zcount(backlogKey(prefix), now, '+inf')) > 0;
    busySince = busy ? busySince ?? now : null;
    checkedAt = now;
  };
  return async (): Promise<void> => {
    if (maxHoldMs <= 0) return;
    for (;;) {
      if (Date.now() - checkedAt >= POLL_MS) await (check ??= refresh().finally(() => { check = null; }));
      if (busySince === null || Date.now() - busySince >= maxHoldMs) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
}
