import type { Redis } from 'ioredis';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';

// A bot that pulls its events (eventMode "fetch") hears a click only at its next poll. Polling
// every second all day would spend half the portal's request budget on nothing, and the idle
// pace the docs advise (5-30 s) makes every click feel slow. So the pace follows the people:
// while someone may be about to act (the bot just showed buttons, or somebody just clicked or
// wrote), the loop polls at the active pace; otherwise at the idle one. The mark lives in
// Redis because the bot's messages may be sent by any worker process and only one of them
// (the lease holder) polls.

const MARK_EVERY_MS = 1000;

/** Whether people may be acting on the bot right now; shared by every process of ours. */
export class EventAttention {
  private lastMark = 0;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly windowMs: number) {}

  /** Someone may act within the window from now. Best effort, at most one write a second per process. */
  mark(): void {
    const now = Date.now();
    if (this.windowMs <= 0 || now - this.lastMark < MARK_EVERY_MS) return;
    this.lastMark = now;
    this.redis.set(this.key, '1', 'PX', this.windowMs).catch(() => { /* a lost mark only slows the next poll */ });
  }

  async active(): Promise<boolean> {
    if (this.windowMs <= 0) return false;
    return (await this.redis.pttl(this.key)) > 0;
  }
}

const SHOWS_BUTTONS = new Set(['imbot.v2.Chat.Message.send', 'imbot.v2.Chat.Message.update', 'imbot.v2.Command.answer']);

/** The bot's port, marking attention whenever a message with buttons goes out (a keyboard of "N" removes them). */
export function markAttentionOnButtons(b24: B24Port, attention: EventAttention): B24Port {
  const note = (method: string, params: Record<string, unknown>) => {
    const keyboard = (params.fields as { keyboard?: unknown } | undefined)?.keyboard;
    if (SHOWS_BUTTONS.has(method) && keyboard && keyboard !== 'N') attention.mark();
  };
  return {
    call(method, params, key) {
      note(method, params);
      return b24.call(method, params, key);
    },
    post(method, params, key) {
      note(method, params);
      return b24.post(method, params, key);
    },
  };
}
