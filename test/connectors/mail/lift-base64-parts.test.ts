import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { BlobStore } from '../../../connectors/mail/blob-store.js';
import { liftBase64Parts } from '../../../connectors/mail/lift-base64-parts.js';
import { PARSE_OPTIONS, parseInboundMail } from '../../../connectors/mail/parse-inbound-mail.js';

let blobs: BlobStore;
beforeAll(() => { blobs = new BlobStore(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-lift-'))); });
afterAll(() => fs.rmSync(blobs.root, { recursive: true, force: true }));

async function compose(opts: Partial<SendMailOptions>): Promise<Buffer> {
  const tx = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return (await tx.sendMail({ from: 'Иван <ivan@lift.example>', to: 'support@modest.example', subject: 'Файлы', ...opts })).message as Buffer;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const shape = (p: ParsedMail) => ({
  text: p.text, html: p.html, subject: p.subject,
  attachments: p.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: sha(a.content) })),
});

test('large base64 attachments are decoded beside mailparser with the result mailparser gives', async () => {
  const pdf = crypto.randomBytes(150_000);
  const png = crypto.randomBytes(40_001);
  const raw = await compose({
    text: 'См. вложения.', html: '<p>См. <b>вложения</b>.</p>',
    attachments: [
      { filename: 'счёт №5.pdf', content: pdf },
      { filename: 'small.txt', content: 'kept by mailparser' },
      { filename: 'screen.png', content: png, cid: 'screen@lift' },
    ],
  });
  const lifted = liftBase64Parts(raw)!;
  expect(lifted.skeleton.length).toBeLessThan(raw.length / 10);
  const parsed = await simpleParser(lifted.skeleton, PARSE_OPTIONS);
  expect(lifted.restore(parsed.attachments)).toBe(true);
  expect(shape(parsed)).toEqual(shape(await simpleParser(raw, PARSE_OPTIONS)));

  const mail = await parseInboundMail(raw, { blobs, maxAttachmentBytes: 100_000 });
  // The inline image comes first: nodemailer puts it with the HTML, in multipart/related.
  expect(mail.attachments).toEqual([
    { filename: 'screen.png', contentType: 'image/png', size: png.length, sha256: sha(png) },
    { filename: 'счёт №5.pdf', contentType: 'application/pdf', size: pdf.length, sha256: null, skipped: 'too_large' },
    { filename: 'small.txt', contentType: 'text/plain', size: 18, sha256: sha(Buffer.from('kept by mailparser')) },
  ]);
  expect(await blobs.get(sha(png))).toEqual(png);
});

test('parts it cannot vouch for are left to mailparser', async () => {
  const text = await compose({ text: 'x', attachments: [{ filename: 'log.txt', content: crypto.randomBytes(30_000).toString('hex'), encoding: 'utf8', contentTransferEncoding: 'base64' }] });
  expect(liftBase64Parts(text)).toBeNull(); // text/* may be a body; mailparser decides

  const binary = await compose({ text: 'x', attachments: [{ filename: 'a.bin', content: crypto.randomBytes(30_001) }] });
  expect(liftBase64Parts(binary)).not.toBeNull();
  const body = (raw: Buffer) => raw.toString('latin1').split('\r\n\r\n').find((p) => p.length > 30_000)!.split('\r\n--')[0];
  const padded = body(binary).replace(/\r\n/, '=\r\n'); // padding, then more data: decoded differently
  expect(liftBase64Parts(Buffer.from(binary.toString('latin1').replace(body(binary), padded), 'latin1'))).toBeNull();
  const dash = Buffer.from(binary.toString('latin1').replace(body(binary), `${body(binary)}\r\n-`), 'latin1');
  expect(liftBase64Parts(dash)).toBeNull(); // base64url to Buffer, skipped by mailparser
});

test('stray characters in a body are skipped as mailparser skips them', async () => {
  const raw = await compose({ text: 'x', attachments: [{ filename: 'a.bin', content: crypto.randomBytes(30_000) }] });
  const lines = raw.toString('latin1').split('\r\n');
  const at = lines.findIndex((l) => l.length === 76);
  lines[at] = `${lines[at].slice(0, 10)}!* \u00e9${lines[at].slice(10)}`;
  const dirty = Buffer.from(lines.join('\r\n'), 'latin1');
  const lifted = liftBase64Parts(dirty)!;
  const parsed = await simpleParser(lifted.skeleton, PARSE_OPTIONS);
  expect(lifted.restore(parsed.attachments)).toBe(true);
  expect(shape(parsed)).toEqual(shape(await simpleParser(dirty, PARSE_OPTIONS)));
});

test('a body is decoded alike however its lines fall across the slices it is decoded in', async () => {
  const content = crypto.randomBytes(200_001);
  const raw = await compose({ text: 'x', attachments: [{ filename: 'a.bin', content }] });
  const text = raw.toString('latin1');
  const b64 = text.split('\r\n\r\n').find((p) => p.length > 200_000)!.split('\r\n--')[0];
  // Lines of 61 characters, every ninth cut after 7 by a tab and a stray byte: the slices end mid-group.
  const chars = b64.replace(/\r\n/g, '');
  const rewrapped = chars.replace(/.{1,61}/g, (line, at: number) => (at % 9 === 0 ? `${line.slice(0, 7)}\t\u00a0\r\n${line.slice(7)}` : line) + '\r\n');
  const wrapped = Buffer.from(text.replace(b64, rewrapped.trimEnd()), 'latin1');
  const lifted = liftBase64Parts(wrapped)!;
  const parsed = await simpleParser(lifted.skeleton, PARSE_OPTIONS);
  expect(lifted.restore(parsed.attachments)).toBe(true);
  expect(parsed.attachments[0].content.equals(content)).toBe(true);
  expect(shape(parsed)).toEqual(shape(await simpleParser(wrapped, PARSE_OPTIONS)));
});

test('nothing is restored unless every marker comes back as an attachment', async () => {
  const raw = await compose({ text: 'x', attachments: [{ filename: 'a.bin', content: crypto.randomBytes(30_000) }] });
  const lifted = liftBase64Parts(raw)!;
  const parsed = await simpleParser(lifted.skeleton, PARSE_OPTIONS);
  const before = parsed.attachments[0].content;
  expect(lifted.restore([])).toBe(false);
  expect(lifted.restore([parsed.attachments[0], { ...parsed.attachments[0] }])).toBe(false);
  expect(parsed.attachments[0].content).toBe(before);
});
