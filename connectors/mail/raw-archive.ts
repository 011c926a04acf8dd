import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A segment is closed and a new one begun past this size. */
const SEGMENT_BYTES = 64 * 2 ** 20;

/**
 * The raw sources of incoming mail, exactly as the server gave them, appended to segment
 * files under one folder (`<root>/<YYYY-MM>/<segment>.raw`). Creating a file costs this kind
 * of machine up to a millisecond of kernel time, more than parsing a typical mail, so sources
 * are not kept a file each: one process appends to its own segment, and a mail's reference
 * (`<segment>:<offset>:<length>`, stored with the message) finds it again.
 *
 * A crash can leave bytes at a segment's end that nothing refers to (the mail is fetched and
 * appended again after the restart); nothing referred to is ever written over. Appends are
 * not flushed to disk one by one (a segment is, when it is closed): the mailbox keeps every
 * message (it is only flagged once its ticket is committed, never deleted), so the source is
 * not lost should the machine itself go down before the kernel writes it out.
 */
export class RawArchive {
  private fd: number | null = null;
  private segment = '';
  private offset = 0;

  constructor(readonly root: string, private readonly segmentBytes = SEGMENT_BYTES) {}

  /** Appends one source; returns its reference. Blocking: a write into an open file takes well under a millisecond. */
  append(raw: Buffer): string {
    if (this.fd === null || (this.offset > 0 && this.offset + raw.length > this.segmentBytes)) this.begin();
    for (let done = 0; done < raw.length;) done += fs.writeSync(this.fd!, raw, done, raw.length - done, this.offset + done);
    const ref = `${this.segment}:${this.offset}:${raw.length}`;
    this.offset += raw.length;
    return ref;
  }

  async read(ref: string): Promise<Buffer> {
    const m = /^(\d{4}-\d{2}\/[\w.-]+\.raw):(\d+):(\d+)$/.exec(ref);
    if (!m) throw new Error(`not a raw mail reference: ${ref}`);
    const [offset, length] = [Number(m[2]), Number(m[3])];
    const file = await fs.promises.open(path.join(this.root, m[1]), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new Error(`raw mail ${ref} is cut short (${bytesRead} of ${length} bytes)`);
      return buf;
    } finally {
      await file.close();
    }
  }

  close(): void {
    if (this.fd === null) return;
    fs.fdatasyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = null;
  }

  /** A new segment of this process's own: a unique name, created exclusively. */
  private begin(): void {
    this.close();
    const now = new Date().toISOString();
    const month = now.slice(0, 7);
    fs.mkdirSync(path.join(this.root, month), { recursive: true });
    this.segment = `${month}/${now.replace(/[-:]/g, '').replace('.', '-')}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.raw`;
    this.fd = fs.openSync(path.join(this.root, this.segment), 'wx');
    this.offset = 0;
  }
}
