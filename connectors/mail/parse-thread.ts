// Entry of one ParsePool thread (see parse-pool.ts): parses each raw source it is given,
// keeps its attachments and answers with the InboundMail. Started by the pool only.
import { parentPort, workerData } from 'node:worker_threads';
import type { InboundMail } from '../../tickets/types.js';
import { BlobStore, sha256 } from './blob-store.js';
import { parseInboundMail, type KeptRaw } from './parse-inbound-mail.js';
import { WARM_UP_MS, WARM_UP_ROUNDS, warmUpMails } from './warm-up-mails.js';

export interface ParseThreadData {
  blobRoot: string;
  maxAttachmentBytes: number;
}

export type ParseRequest = { id: number; raw: Uint8Array; kept: KeptRaw };
export type ParseReply = { id: number; mail: InboundMail } | { id: number; error: string };

const { blobRoot, maxAttachmentBytes } = workerData as ParseThreadData;
// Blocking writes: this thread has nothing else to do while one runs.
const blobs = new BlobStore(blobRoot, { blocking: true });
blobs.prepare();
const port = parentPort!;


/**
 * V8 compiles the parser's hot code only once it has run a while; a fresh thread taking a
 * backlog (as after every restart) would spend much of its first seconds compiling.
 * Parsing sample mails first, keeping nothing, gets part of that done before it is ready.
 */
async function warmUp(): Promise<void> {
  const nowhere = { put: async (buf: Buffer, hash?: string) => hash ?? sha256(buf) };
  const mails = warmUpMails();
  const until = performance.now() + WARM_UP_MS;
  for (let round = 0; round < WARM_UP_ROUNDS && performance.now() < until; round++) {
    for (const raw of mails) await parseInboundMail(raw, { blobs: nowhere, maxAttachmentBytes });
  }
}

port.on('message', ({ id, raw, kept }: ParseRequest) => {
  parseInboundMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { blobs, maxAttachmentBytes, kept }).then(
    (mail) => port.postMessage({ id, mail } satisfies ParseReply),
    (err: Error) => port.postMessage({ id, error: err.message } satisfies ParseReply),
  );
});
await warmUp();
port.postMessage('ready');
