import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { InboundMail } from '../../tickets/types.js';
import { sha256 } from './blob-store.js';
import { readableText, unparsedMail, type KeptRaw } from './parse-inbound-mail.js';
import type { RawArchive } from './raw-archive.js';
import type { ParseReply, ParseRequest, ParseThreadData } from './parse-thread.js';

export interface ParsePoolOptions extends ParseThreadData {
  threads: number;
}

/** Starts one thread speaking the parse-thread.ts protocol (tests pass a stand-in). */
export type StartThread = (data: ParseThreadData) => Worker;

interface Task {
  id: number;
  raw: Buffer;
  kept: KeptRaw;
  /** Was in flight on a thread that died: runs with nothing beside it, to tell who killed it. */
  alone: boolean;
  resolve(mail: InboundMail): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Task>;
}

/**
 * Mails queued in a thread at once: enough that it never waits while this (the IMAP)
 * thread is busy; few enough to share a slice fairly and to retry little after a crash.
 */
const PER_THREAD = 16;
const RESPAWN_DELAY_MS = 1000;

/**
 * Parsing is most of the CPU an incoming mail costs, so the intake, which already holds the
 * bytes, parses in worker threads (how many: parseThreadCount in main/run-intake.ts): its
 * own thread stays free for IMAP, a mail that kills a parser takes only that thread down, and
 * no raw source is written by one process only to be read back by another. The raw sources
 * go to the archive from this thread; each parser thread keeps the attachments
 * (content-addressed) and answers with the InboundMail.
 */
export class ParsePool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(private readonly o: ParsePoolOptions, private readonly archive: RawArchive,
    private readonly log: Logger, private readonly startThread: StartThread) {}

  /** Resolves once every thread has loaded the parser. */
  static async start(o: ParsePoolOptions, archive: RawArchive, log: Logger, startThread: StartThread = startParseThread): Promise<ParsePool> {
    const pool = new ParsePool(o, archive, log, startThread);
    try {
      await Promise.all(Array.from({ length: Math.max(1, o.threads) }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Keeps the raw source in the archive, then has a thread parse it; rejects only when the source cannot be kept. */
  async keepAndParse(raw: Buffer): Promise<InboundMail> {
    if (this.closing) throw new Error('parse pool closed');
    const { ref, written } = this.archive.append(raw);
    const kept = { sha256: sha256(raw), ref };
    const parsed = new Promise<InboundMail>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, raw, kept, alone: false, resolve, reject });
      this.dispatch();
    });
    // A large source's bytes are still being written (by libuv's pool) while a thread parses it; the mail goes on once both are done.
    parsed.catch(() => {}); // a write that failed is the error to report
    await written;
    return parsed;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.waiting.splice(0)) t.reject(new Error('parse pool closed'));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const task = this.waiting[0];
      let best: Slot | null = null;
      for (const s of this.slots) {
        const busy = [...s.inFlight.values()].some((t) => t.alone);
        const fits = task.alone ? s.inFlight.size === 0 : s.inFlight.size < PER_THREAD && !busy;
        if (s.ready && fits && (!best || s.inFlight.size < best.inFlight.size)) best = s;
      }
      if (!best) return;
      this.waiting.shift();
      best.inFlight.set(task.id, task);
      best.worker.postMessage({ id: task.id, raw: task.raw, kept: task.kept } satisfies ParseRequest);
    }
  }

  private spawn(): Promise<void> {
    const worker = this.startThread({ blobRoot: this.o.blobRoot, maxAttachmentBytes: this.o.maxAttachmentBytes });
    const slot: Slot = { worker, ready: false, inFlight: new Map() };
    this.slots.add(slot);
    return new Promise((resolve, reject) => {
      worker.on('message', (m: ParseReply | 'ready') => {
        if (m === 'ready') {
          slot.ready = true;
          resolve();
        } else {
          this.settle(slot, m);
        }
        this.dispatch();
      });
      worker.on('error', (err) => {
        if (!slot.ready) reject(err);
        this.log.warn({ err: err.message, inFlight: slot.inFlight.size }, 'parser thread failed');
      });
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new Error(`parser thread exited (${code}) before it was ready`));
        this.died(slot);
      });
    });
  }

  private settle(slot: Slot, m: ParseReply): void {
    const task = slot.inFlight.get(m.id);
    if (!task) return;
    slot.inFlight.delete(m.id);
    if ('mail' in m) task.resolve(m.mail);
    else task.reject(new Error(m.error));
  }

  /**
   * A thread died (out of memory, a parser bug): its mails are tried again one at a time, and
   * the one that kills a thread on its own is kept unparsed, so the rest still get through.
   */
  private died(slot: Slot): void {
    this.slots.delete(slot);
    const tasks = [...slot.inFlight.values()];
    if (this.closing) {
      for (const t of tasks) t.reject(new Error('parse pool closed'));
      return;
    }
    for (const t of tasks.filter((x) => x.alone)) t.resolve({ ...unparsedMail(t.kept, 'parser thread died on this message'), text: readableText(t.raw) });
    this.waiting.unshift(...tasks.filter((x) => !x.alone).map((x) => ({ ...x, alone: true })));
    // A thread that could not even start is not respawned in a tight loop.
    setTimeout(() => {
      if (!this.closing) this.spawn().then(() => this.dispatch(), (err: Error) => this.log.warn({ err: err.message }, 'parser thread did not start'));
    }, slot.ready ? 0 : RESPAWN_DELAY_MS);
  }

}

/**
 * Threads do not inherit the TypeScript loader the process runs under (`--import tsx`), so a
 * .ts entry is loaded through tsx's API; a compiled .js entry is imported as it is.
 */
function startParseThread(data: ParseThreadData): Worker {
  const self = fileURLToPath(import.meta.url);
  const entry = JSON.stringify(pathToFileURL(path.join(path.dirname(self), `parse-thread${path.extname(self)}`)).href);
  const code = path.extname(self) === '.ts'
    ? `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => tsx.tsImport(${entry}, ${entry}))`
    : `import(${entry})`;
  return new Worker(code, { eval: true, workerData: data });
}

/** The ESM build of tsx's API, by absolute URL: an eval'd thread has no base to resolve a package name from. */
function tsxApiUrl(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
}
