// The bare scripts' side of IMAP (bench/measure-ceiling.ts, bench/measure-record-floor.ts):
// the mailbox opened read-only, then every message fetched in batches, as the intake fetches.
import type { ImapFlow } from 'imapflow';
import { connectImap, type ImapLogin } from './fill-mailbox.js';

export async function openMailbox(login: ImapLogin, folder: string): Promise<ImapFlow> {
  const client = await connectImap(login);
  await client.mailboxOpen(folder, { readOnly: true });
  return client;
}

async function collect(client: ImapFlow, uids: number[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const msg of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
    if (msg.source) out.push(msg.source);
  }
  return out;
}

/** Hands every message's source to `handle`, `batch` at a time; batch k+1 is fetched while `handle` works on batch k. */
export async function eachBatch(client: ImapFlow, batch: number, handle: (sources: Buffer[]) => Promise<void>): Promise<void> {
  const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((x, y) => x - y);
  const batches: number[][] = [];
  for (let i = 0; i < uids.length; i += batch) batches.push(uids.slice(i, i + batch));
  let next = batches.length > 0 ? collect(client, batches[0]) : null;
  for (let k = 0; next; k++) {
    const sources = await next;
    next = k + 1 < batches.length ? collect(client, batches[k + 1]) : null;
    await handle(sources);
  }
}
