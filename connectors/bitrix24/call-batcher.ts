import type { B24Call, B24Outcome, B24Transport } from './b24-transport.js';

export interface Pacer {
  acquire(): Promise<void>;
}

// reference §6: file uploads are not allowed inside `batch`; a batch cannot nest.
const UNBATCHABLE = new Set(['batch', 'imbot.v2.File.upload', 'im.v2.File.upload', 'disk.folder.uploadFile']);

interface Pending {
  call: B24Call;
  resolve(o: B24Outcome): void;
  reject(err: unknown): void;
}

/**
 * Coalesces the calls of this process into as few requests as the pacer allows: while one
 * waits for its turn, the calls arriving meanwhile join it in one `batch` of up to 50.
 */
export class CallBatcher {
  private pending: Pending[] = [];
  private pumping = false;
  private inFlight = 0;

  constructor(private readonly transport: B24Transport, private readonly pacer: Pacer,
    private readonly opts: { maxBatch?: number; lingerMs?: number; maxInFlight?: number } = {}) {}

  submit(call: B24Call): Promise<B24Outcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ call, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      // A short linger lets calls made in the same moment (one bot action) share a request.
      await new Promise((r) => setTimeout(r, this.opts.lingerMs ?? 20));
      while (this.pending.length > 0) {
        while (this.inFlight >= (this.opts.maxInFlight ?? 4)) await new Promise((r) => setTimeout(r, 10));
        await this.pacer.acquire();
        this.send(this.take());
      }
    } finally {
      this.pumping = false;
    }
  }

  private take(): Pending[] {
    const max = this.opts.maxBatch ?? 50;
    if (UNBATCHABLE.has(this.pending[0].call.method)) return this.pending.splice(0, 1);
    let n = 0;
    while (n < this.pending.length && n < max && !UNBATCHABLE.has(this.pending[n].call.method)) n++;
    return this.pending.splice(0, n);
  }

  private send(group: Pending[]): void {
    this.inFlight++;
    const request = group.length === 1
      ? this.transport.call(group[0].call).then((o) => [o])
      : this.transport.batch(group.map((p) => p.call));
    request.then(
      (outcomes) => group.forEach((p, i) => p.resolve(outcomes[i])),
      (err) => group.forEach((p) => p.reject(err)),
    ).finally(() => { this.inFlight--; });
  }
}
