import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { sha256 } from '../../../connectors/mail/blob-store.js';
import { ParsePool } from '../../../connectors/mail/parse-pool.js';
import { RawArchive } from '../../../connectors/mail/raw-archive.js';

let root: string;
beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-pool-')); });
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const log = pino({ level: 'silent' });

const mail = (i: number) => Buffer.from(`From: c${i}@pool.example\r\nTo: support@modest.example\r\nSubject: request ${i}\r\n`
  + `Message-ID: <p${i}@pool.example>\r\n\r\nЗапрос ${i}.\r\n`);

test('mails are parsed in the threads and their raw sources kept', async () => {
  const archive = new RawArchive(path.join(root, 'raw'));
  const pool = await ParsePool.start({ threads: 2, blobRoot: root, maxAttachmentBytes: 1 << 20 }, archive, log);
  try {
    const raws = Array.from({ length: 40 }, (_, i) => mail(i));
    const parsed = await Promise.all(raws.map((r) => pool.keepAndParse(r)));
    expect(parsed.map((m) => m.subject)).toEqual(raws.map((_, i) => `request ${i}`));
    expect(parsed[7]).toMatchObject({ messageId: 'p7@pool.example', text: 'Запрос 7.', unparsed: false, rawSha256: sha256(raws[7]) });
    // Read back by another reader of the folder, as the web process would.
    const reader = new RawArchive(path.join(root, 'raw'));
    expect(await Promise.all(parsed.map((m) => reader.read(m.rawRef!)))).toEqual(raws);
  } finally {
    await pool.close();
    await archive.close();
  }
});

test('the raw archive: sources appended at once across full segments are all read back whole after close', async () => {
  const archive = new RawArchive(path.join(root, 'raw-small'), 4096);
  // Usual sizes are written at once, large ones (a mail with a big attachment) by libuv's pool: both kinds, mixed.
  const size = (i: number) => (i % 20 === 19 ? 2 ** 20 + i : 700 + i * 13);
  const raws = Array.from({ length: 60 }, (_, i) => Buffer.alloc(size(i), String.fromCharCode(65 + (i % 26))));
  const kept = raws.map((r) => archive.append(r));
  await Promise.all(kept.map((k) => k.written));
  await archive.close();
  const segments = new Set(kept.map((k) => k.ref.split(':')[0]));
  expect(segments.size).toBeGreaterThan(5);
  const reader = new RawArchive(path.join(root, 'raw-small'));
  // Compared by hash: Jest compares megabyte buffers byte by byte, for seconds.
  expect((await Promise.all(kept.map((k) => reader.read(k.ref)))).map(sha256)).toEqual(raws.map(sha256));
});

// Speaks the parse-thread protocol; any mail saying KILL ends the thread, as a crash would.
const standIn = () => new Worker(`const { parentPort } = require('node:worker_threads');
  parentPort.on('message', ({ id, raw }) => {
    const text = Buffer.from(raw).toString();
    if (text.includes('KILL')) process.exit(1);
    setTimeout(() => parentPort.postMessage({ id, mail: { subject: text, unparsed: false } }), 5);
  });
  parentPort.postMessage('ready');`, { eval: true });

test('a mail that kills its thread is kept unparsed; the mails beside it are retried and parse', async () => {
  const archive = new RawArchive(path.join(root, 'raw'));
  const pool = await ParsePool.start({ threads: 2, blobRoot: root, maxAttachmentBytes: 1 << 20 }, archive, log, standIn);
  try {
    const raws = Array.from({ length: 30 }, (_, i) => Buffer.from(i === 3 ? 'KILL' : `mail ${i}`));
    const results = await Promise.all(raws.map((r) => pool.keepAndParse(r)));
    expect(results[3]).toMatchObject({ unparsed: true, parseError: 'parser thread died on this message', rawSha256: sha256(raws[3]) });
    expect(await archive.read(results[3].rawRef!)).toEqual(raws[3]);
    expect(results.filter((_, i) => i !== 3).map((m) => m.subject)).toEqual(raws.filter((_, i) => i !== 3).map(String));
    expect((await pool.keepAndParse(Buffer.from('after'))).subject).toBe('after');
  } finally {
    await pool.close();
    await archive.close();
  }
});
