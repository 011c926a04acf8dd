import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { MailboxSettings } from '../../config/load-config.js';
import type { MailSourceDeps, MailSourceHealth, MailSourceState, RawMail } from './mail-source.js';

export interface ImapMailboxOptions {
  pollIntervalMs: number;
  /** Keyword set on a message once its ticket is committed; unflagged mail is (re)taken. */
  processedKeyword: string;
  fetchBatch?: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * One IMAP mailbox: takes every message without our keyword, hands it over, and flags it
 * only after the commit. IDLE wakes it on new mail, a poll timer covers servers that do not
 * push, and a dropped connection is retried with backoff.
 */
export class ImapMailbox {
  private state: MailSourceState = 'starting';
  private lastError: string | null = null;
  private stopping = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  /** UIDs handed over in this session but not flagged yet (avoids fetching them again). */
  private handedOver = new Set<number>();
  private uidValidity = '';
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly box: MailboxSettings, private readonly opts: ImapMailboxOptions,
    private readonly deps: MailSourceDeps, private readonly log: Logger) {}

  health(): MailSourceHealth {
    return { name: this.box.name, state: this.state, lastError: this.lastError };
  }

  start(): void {
    this.done = this.run();
  }

  /**
   * Forgets what was handed over and not yet committed, so it is taken again: the queue it went
   * to was lost (Redis came back empty). Taking it twice is harmless (deduplicated).
   */
  forgetHandedOver(): void {
    this.handedOver.clear();
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.client?.logout().catch(() => this.client?.close());
    await this.done;
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.session(() => { attempt = 0; });
      } catch (err) {
        if (this.stopping) break; // logging out mid-command is how a stop ends a session
        this.lastError = (err as Error).message;
        this.log.warn({ mailbox: this.box.name, err: this.lastError }, 'mailbox session failed');
      }
      if (this.stopping) break;
      this.state = 'reconnecting';
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
      await this.sleep(delay);
    }
  }

  private async session(onConnected: () => void): Promise<void> {
    const client = new ImapFlow({
      host: this.box.host, port: this.box.port, secure: this.box.secure, logger: false,
      auth: { user: this.box.user, pass: this.box.password }, autoIdleDelay: 1000,
    });
    this.client = client;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (err: Error) => { this.lastError = err.message; });
    client.on('exists', () => this.wake?.());
    try {
      await client.connect();
      const opened = await client.mailboxOpen(this.box.folder);
      if (String(opened.uidValidity) !== this.uidValidity) this.handedOver.clear();
      this.uidValidity = String(opened.uidValidity);
      this.state = 'connected';
      this.lastError = null;
      onConnected();
      this.log.info({ mailbox: this.box.name, exists: opened.exists }, 'mailbox connected');
      while (!this.stopping && client.usable) {
        await this.cycle(client);
        const idleMs = this.handedOver.size > 0 ? 250 : this.opts.pollIntervalMs;
        await Promise.race([this.sleep(idleMs), closed]);
      }
    } finally {
      this.client = null;
      if (client.usable) await client.logout().catch(() => client.close());
    }
    if (!this.stopping) throw new Error(this.lastError ?? 'connection closed');
  }

  /** Flags what is committed, then takes what is new. */
  private async cycle(client: ImapFlow): Promise<void> {
    const committed = await this.deps.committedUnmarked(this.box.name);
    const prefix = `imap:${this.box.name}:${this.uidValidity}:`;
    const uids = committed.filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
    if (uids.length > 0) {
      await client.messageFlagsAdd(uids.join(','), [this.opts.processedKeyword], { uid: true });
      uids.forEach((u) => this.handedOver.delete(u));
    }
    // Keys of an older UIDVALIDITY can no longer be flagged; the dedupe key keeps them single.
    if (committed.length > 0) await this.deps.marked(committed);
    const found = await client.search({ unKeyword: this.opts.processedKeyword }, { uid: true });
    const fresh = (found || []).filter((u) => !this.handedOver.has(u)).sort((a, b) => a - b);
    const batch = this.opts.fetchBatch ?? 50;
    // Two slices are handed over at a time while the next is fetched, so the parsers always
    // have a queued slice to go on with when one ends.
    let older: Promise<void> = Promise.resolve();
    let newer: Promise<void> = Promise.resolve();
    const backlog = fresh.length > batch;
    for (let i = 0; i < fresh.length && !this.stopping; i += batch) {
      if (backlog) this.announce(fresh.length - i);
      const mails: RawMail[] = [];
      // Collect first: no other command may run on this connection inside a fetch loop.
      for await (const msg of client.fetch(fresh.slice(i, i + batch).join(','), { uid: true, source: true }, { uid: true })) {
        if (msg.source) mails.push({ sourceKey: `${prefix}${msg.uid}`, mailbox: this.box.name, raw: msg.source });
      }
      await older;
      older = newer;
      newer = this.deps.accept(mails).then(() => mails.forEach((m) => this.handedOver.add(Number(m.sourceKey.slice(prefix.length)))));
      newer.catch(() => { /* seen where it is awaited */ });
    }
    try {
      await Promise.all([older, newer]);
    } finally {
      if (backlog) this.announce(0);
    }
  }

  /** Best effort: a lost announcement only means outgoing mail does not wait for this backlog. */
  private announce(remaining: number): void {
    this.deps.backlog(this.box.name, remaining).catch((err: Error) => this.log.debug({ err: err.message }, 'backlog not announced'));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = done;
    });
  }
}
