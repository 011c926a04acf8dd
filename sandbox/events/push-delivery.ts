import http from 'node:http';
import https from 'node:https';
import { buildPhpQuery } from '../php-query.js';

export interface PushLogEntry {
  seq: number;
  at: number;
  url: string;
  event: string;
  body: string;
  status: number | null;
  error: string | null;
  lost: boolean;
}

export interface PushFaults {
  /** Fraction (0..1) of pushes silently dropped. */
  lostRate: number;
  /** The next N pushes are dropped. */
  loseNext: number;
}

/**
 * Delivers events the way Bitrix24's queue server does: one form-encoded POST each, no
 * retry, a failing or slow handler simply loses the event (reference §0, §2).
 */
export class PushDelivery {
  private readonly entries: PushLogEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  readonly faults: PushFaults = { lostRate: 0, loseNext: 0 };

  constructor(private readonly opts: { timeoutMs: number; random: () => number }) {}

  enqueue(url: string, event: string, payload: Record<string, unknown>): void {
    const entry: PushLogEntry = {
      seq: ++this.seq, at: Date.now(), url, event, body: buildPhpQuery(payload), status: null, error: null, lost: false,
    };
    this.entries.push(entry);
    if (this.shouldLose()) {
      entry.lost = true;
      return;
    }
    this.chain = this.chain.then(() => this.post(entry));
  }

  /** Resolves once every push queued so far has been answered or has failed. */
  settle(): Promise<void> {
    return this.chain;
  }

  log(): PushLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries.length = 0;
  }

  private shouldLose(): boolean {
    if (this.faults.loseNext > 0) {
      this.faults.loseNext -= 1;
      return true;
    }
    return this.faults.lostRate > 0 && this.opts.random() < this.faults.lostRate;
  }

  private post(entry: PushLogEntry): Promise<void> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(entry.url);
      } catch {
        entry.error = 'invalid handler URL';
        resolve();
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, {
        method: 'POST',
        timeout: this.opts.timeoutMs,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(entry.body),
          'user-agent': 'Bitrix24 Webhook Engine',
        },
      }, (res) => {
        entry.status = res.statusCode ?? null;
        res.resume().on('end', resolve).on('error', resolve);
      });
      req.on('timeout', () => req.destroy(new Error('handler timed out')));
      req.on('error', (err) => {
        entry.error = err.message;
        resolve();
      });
      req.end(entry.body);
    });
  }
}
