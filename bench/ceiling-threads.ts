// Parser threads for the ingest ceiling: the bare-script counterpart of the intake's ParsePool,
// mailparser on `n` worker threads, each warmed up like the intake's threads before the clock.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, so the threads need no TypeScript loader; mailparser by absolute path.
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { simpleParser } = require(workerData.mailparser);
(async () => {
  const until = performance.now() + workerData.warmUpMs;
  for (let r = 0; r < workerData.warmUpRounds && performance.now() < until; r++) {
    for (const raw of workerData.warmUp) await simpleParser(Buffer.from(raw), workerData.options);
  }
  parentPort.postMessage({ ready: true });
  parentPort.on('message', ({ id, raw }) => simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), workerData.options)
    .then((m) => parentPort.postMessage({ id, attachments: m.attachments.length }), (e) => parentPort.postMessage({ id, error: String(e) })));
})();
`;

export interface CeilingThreads {
  parse(raw: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** Starts `n` parser threads and resolves once all are warm; `parse` goes to the least busy one. */
export async function startCeilingThreads(n: number, o: { options: object; warmUp: Buffer[]; warmUpMs: number; warmUpRounds: number }): Promise<CeilingThreads> {
  const workerData = { ...o, warmUp: o.warmUp.map((b) => new Uint8Array(b)), mailparser: createRequire(import.meta.url).resolve('mailparser') };
  const pending = new Map<number, (m: { attachments?: number; error?: string }) => void>();
  const slots = await Promise.all(Array.from({ length: n }, () => new Promise<{ worker: Worker; busy: number }>((resolve, reject) => {
    const worker = new Worker(THREAD_CODE, { eval: true, workerData });
    const slot = { worker, busy: 0 };
    worker.on('message', (m: { ready?: boolean; id?: number; attachments?: number; error?: string }) => {
      if (m.ready) return resolve(slot);
      slot.busy--;
      pending.get(m.id!)?.(m);
      pending.delete(m.id!);
    });
    worker.once('error', reject);
  })));
  let next = 0;
  return {
    parse: (raw) => new Promise((resolve, reject) => {
      const id = next++;
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      slot.busy++;
      pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.attachments!)));
      slot.worker.postMessage({ id, raw });
    }),
    close: async () => { await Promise.all(slots.map((s) => s.worker.terminate())); },
  };
}
