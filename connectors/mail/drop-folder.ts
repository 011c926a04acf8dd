import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MailSourceDeps, MailSourceHealth, MailSourceState } from './mail-source.js';

export const DROP_MAILBOX = 'drop';

/**
 * A folder to drop `.eml` files into (the demo's mailbox). Each file is first renamed into
 * `.work/` under a unique id, which becomes its source key; once its ticket is committed it
 * moves to `processed/`. A crash between any two steps is picked up from `.work/` again.
 */
export class DropFolder {
  private state: MailSourceState = 'starting';
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private handedOver = new Set<string>();

  constructor(private readonly dir: string, private readonly pollMs: number,
    private readonly deps: MailSourceDeps, private readonly log: Logger) {}

  private get work() { return path.join(this.dir, '.work'); }
  private get processed() { return path.join(this.dir, 'processed'); }

  health(): MailSourceHealth {
    return { name: DROP_MAILBOX, state: this.state, lastError: this.lastError };
  }

  async start(): Promise<void> {
    await fs.mkdir(this.work, { recursive: true });
    await fs.mkdir(this.processed, { recursive: true });
    this.state = 'connected';
    const tick = () => {
      this.running = this.cycle().catch((err: Error) => {
        this.lastError = err.message;
        this.log.warn({ err: err.message }, 'drop folder cycle failed');
      }).finally(() => { if (this.timer) this.timer = setTimeout(tick, this.pollMs); });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Forgets what was handed over and not yet committed, so it is taken again: the queue it went
   * to was lost (Redis came back empty). Taking it twice is harmless (deduplicated).
   */
  forgetHandedOver(): void {
    this.handedOver.clear();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.state = 'stopped';
  }

  private async cycle(): Promise<void> {
    const committed = await this.deps.committedUnmarked(DROP_MAILBOX);
    for (const key of committed) {
      const id = key.slice('drop:'.length);
      await fs.rename(path.join(this.work, id), path.join(this.processed, id)).catch(() => { /* moved before a crash */ });
      this.handedOver.delete(id);
    }
    await this.deps.marked(committed);
    for (const name of await fs.readdir(this.dir)) {
      if (!name.toLowerCase().endsWith('.eml')) continue;
      await fs.rename(path.join(this.dir, name), path.join(this.work, `${Date.now()}-${crypto.randomUUID().slice(0, 8)}-${name}`));
    }
    const pending = (await fs.readdir(this.work)).filter((id) => !this.handedOver.has(id) && !id.endsWith('.tmp'));
    if (pending.length === 0) return;
    const mails = await Promise.all(pending.map(async (id) => ({
      sourceKey: `drop:${id}`, mailbox: DROP_MAILBOX, raw: await fs.readFile(path.join(this.work, id)),
    })));
    await this.deps.accept(mails);
    pending.forEach((id) => this.handedOver.add(id));
    this.log.info({ count: mails.length }, 'drop folder mails taken');
  }
}
