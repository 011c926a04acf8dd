import type { Logger } from 'pino';
import { B24ApiError } from '../connectors/bitrix24/b24-errors.js';
import type { BotIdentity, RegisteredBot } from '../connectors/bitrix24/imbot.js';
import type { BotDeps } from './bot-deps.js';
import { redispatchOpenTickets } from './redispatch-open-tickets.js';

// The imbot.v2 method pages name these: the bot is gone (unregistered, portal reset), or the
// bot is not a member of the chat / the chat or message does not exist.
const BOT_GONE = new Set(['BOT_NOT_FOUND']);
const CHAT_GONE = new Set(['ACCESS_DENIED']);

export interface HealPorts {
  /** Registers the bot and its commands (idempotent per code). */
  register(): Promise<RegisteredBot>;
  /** The dispatch dialog for this bot: the one we know, or a new chat when we know none or only `dead`. */
  dispatchDialog(bot: RegisteredBot, dead: string | null): Promise<string>;
}

export interface HealerOptions {
  /** A dispatch chat that fails again sooner than this after being made is not replaced again (no loop). */
  minChatHealIntervalMs: number;
  maxRetryMs: number;
  /** Called after each successful heal (the event loop polls again at once). */
  afterHeal?(): void;
}

type Trouble = { kind: 'bot_gone' } | { kind: 'chat_gone'; dialogId: string } | { kind: 'stale_card' };

/**
 * Keeps the bot usable when the portal forgets it: a removed bot is registered again, a
 * deleted dispatch chat is made again with the dispatchers, and the open unassigned tickets
 * are posted there again with one message saying why. One heal at a time; `identity` is the
 * object every part of the bot holds, so a new bot id reaches all of them at once.
 */
export class BotHealer {
  private registered = false;
  private error: string | null = null;
  /** The dispatch dialog refuses the bot and cannot be replaced (a configured one, or one that died at once). */
  private dispatchProblem: string | null = null;
  private deps: BotDeps | null = null;
  private running: Promise<void> | null = null;
  private queued: Trouble | null = null;
  private stopped = false;
  private lastChatHeal = 0;
  private wake: (() => void) | null = null;

  constructor(readonly identity: BotIdentity, private readonly ports: HealPorts, private readonly log: Logger,
    private readonly opts: HealerOptions = { minChatHealIntervalMs: 60_000, maxRetryMs: 60_000 }) {}

  /** Registers the bot, retrying with backoff until it works (readiness says why meanwhile). */
  async register(): Promise<RegisteredBot> {
    for (let attempt = 0; ; attempt++) {
      try {
        const bot = await this.ports.register();
        Object.assign(this.identity, { botId: bot.botId, botToken: bot.botToken });
        this.registered = true;
        this.error = null;
        return bot;
      } catch (err) {
        this.registered = false;
        this.error = `registration failed: ${(err as Error).message}`;
        if (this.stopped) throw err;
        const delay = Math.min(this.opts.maxRetryMs, 1000 * 2 ** attempt);
        this.log.error({ err: (err as Error).message, retryInMs: delay }, 'bitrix24 bot registration failed');
        await this.sleep(delay);
        if (this.stopped) throw err;
      }
    }
  }

  /** The running bot: from now on refusals may heal, and tickets left in an old dispatch chat move to the current one. */
  attach(deps: BotDeps): void {
    this.deps = deps;
    this.trigger({ kind: 'stale_card' });
  }

  /** For /readyz: red while the bot is not registered or a heal keeps failing. */
  status(): { ok: boolean; detail: string } {
    if (this.error) return { ok: false, detail: this.error };
    if (this.dispatchProblem) return { ok: false, detail: this.dispatchProblem };
    if (!this.registered) return { ok: false, detail: 'registering' };
    return { ok: true, detail: this.running ? 'healing' : 'ok' };
  }

  /**
   * A refusal the portal gave to a call made as bot `botId`. Refusals for an older bot id
   * (calls queued before a heal) are ignored: that bot is already replaced.
   */
  notice(err: unknown, botId: number, call: { dialogId?: string; dispatchCard?: boolean } = {}): void {
    if (!(err instanceof B24ApiError) || !this.deps || botId !== this.identity.botId) return;
    if (BOT_GONE.has(err.code)) return this.trigger({ kind: 'bot_gone' });
    if (!CHAT_GONE.has(err.code) || !call.dialogId) return;
    if (call.dialogId === this.deps.settings.dispatchDialog) return this.trigger({ kind: 'chat_gone', dialogId: call.dialogId });
    // A card sent to a dispatch chat that was replaced meanwhile: post it to the current one.
    if (call.dispatchCard) this.trigger({ kind: 'stale_card' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => {});
  }

  private trigger(t: Trouble): void {
    if (this.stopped) return;
    if (this.running) {
      // The worst trouble wins: a lost bot needs everything a lost chat needs.
      if (!this.queued || t.kind === 'bot_gone' || (t.kind === 'chat_gone' && this.queued.kind === 'stale_card')) this.queued = t;
      return;
    }
    this.running = this.healUntilDone(t).finally(() => {
      this.running = null;
      const next = this.queued;
      this.queued = null;
      if (next) this.trigger(next);
    });
  }

  private async healUntilDone(t: Trouble): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.heal(t);
        this.error = null;
        this.opts.afterHeal?.();
        return;
      } catch (err) {
        this.error = `healing (${t.kind}) failed: ${(err as Error).message}`;
        const delay = Math.min(this.opts.maxRetryMs, 1000 * 2 ** attempt);
        this.log.error({ err: (err as Error).message, trouble: t.kind, retryInMs: delay }, 'bitrix24 bot could not heal yet');
        await this.sleep(delay);
      }
    }
  }

  private async heal(t: Trouble): Promise<void> {
    const deps = this.deps!;
    const s = deps.settings;
    let reason: 'bot' | 'chat' | null = null;
    if (t.kind === 'bot_gone') {
      this.log.warn({ botId: this.identity.botId }, 'bitrix24 bot is gone from the portal; registering it again');
      const bot = await this.register();
      s.dispatchDialog = await this.ports.dispatchDialog(bot, null);
      this.dispatchProblem = null;
      reason = 'bot';
    } else if (t.kind === 'chat_gone' && t.dialogId === s.dispatchDialog) {
      if (Date.now() - this.lastChatHeal < this.opts.minChatHealIntervalMs) {
        this.dispatchProblem = `the new dispatch chat ${t.dialogId} was refused at once`;
        this.log.error({ dialogId: t.dialogId }, 'the new dispatch chat was refused at once; not making another');
        return;
      }
      this.log.warn({ dialogId: t.dialogId }, 'the dispatch chat is gone; making it again');
      const next = await this.ports.dispatchDialog({ ...this.identity, fresh: false }, t.dialogId);
      if (next === t.dialogId) {
        // A configured dispatch dialog is the operator's to fix; we cannot make another.
        this.dispatchProblem = `the dispatch dialog ${next} refuses the bot (BOT_DISPATCH_DIALOG)`;
        this.log.error({ dialogId: next }, 'the configured dispatch dialog refuses the bot');
        return;
      }
      s.dispatchDialog = next;
      this.lastChatHeal = Date.now();
      this.dispatchProblem = null;
      reason = 'chat';
    }
    const moved = await redispatchOpenTickets(deps, reason);
    if (reason || moved > 0) this.log.info({ reason, dispatchDialog: s.dispatchDialog, botId: this.identity.botId, moved }, 'bitrix24 bot healed');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
  }
}
