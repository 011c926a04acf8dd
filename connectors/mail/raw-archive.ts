import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A segment is closed and a new one begun past this size. */
const SEGMENT_BYTES = 64 * 2 ** 20;
/** Sources from this size are written by libuv's thread pool rather than at once. */
const LARGE_WRITE_BYTES = 2 ** 20;

/** One open segment file and its writes still in flight (it is closed once they are done). */
interface Segment { name: string; fd: number; writing: Set<Promise<void>> }

/**
 * The raw sources of incoming mail, exactly as the server gave them, appended to segment
 * files under one folder (`<root>/<YYYY-MM>/<segment>.raw`). Creating a file costs this kind
 * of machine up to a millisecond of kernel time, more than parsing a typical mail, so sources
 * are not kept a file each: one process appends to its own segment, and a mail's reference
 * (`<segment>:<offset>:<length>`, stored with the message) finds it again.
 *
 * A source of a typical size is written at once, on the calling thread: a write into the page
 * cache costs some 20 µs for 57 KB, and handing each write to libuv's thread pool cost two to
 * nine times that in CPU (1,000 such writes: 20 ms at once, 40-190 ms through the pool, most
 * of it threads taking turns at the file's lock). A large one (from LARGE_WRITE_BYTES) goes
 * to the pool, so it does not hold up the intake's one thread (its IMAP reading and the
 * handing out to the parser threads) for milliseconds.
 *
 * A crash can leave bytes at a segment's end that nothing refers to (the mail is fetched and
 * appended again after the restart); nothing referred to is ever written over. Appends are
 * not flushed to disk one by one (a segment is, when it is closed): the mailbox keeps every
 * message (it is only flagged once its ticket is committed, never deleted), so the source is
 * not lost should the machine itself go down before the kernel writes it out.
 */
export class RawArchive {
  private current: Segment | null = null;
  private offset = 0;
  /** Segments being closed (their last writes, then a flush). */
  private closing = new Set<Promise<void>>();

  constructor(readonly root: string, private readonly segmentBytes = SEGMENT_BYTES) {}

  /**
   * Appends one source: its reference at once, and `written` resolving once its bytes are
   * (the reference must not be stored anywhere lasting before that).
   */
  append(raw: Buffer): { ref: string; written: Promise<void> } {
    if (this.current === null || (this.offset > 0 && this.offset + raw.length > this.segmentBytes)) this.begin();
    const segment = this.current!;
    const ref = `${segment.name}:${this.offset}:${raw.length}`;
    const position = this.offset;
    this.offset += raw.length;
    if (raw.length < LARGE_WRITE_BYTES) return { ref, written: writeAllNow(segment.fd, raw, position) };
    const written = writeAll(segment.fd, raw, position);
    segment.writing.add(written);
    written.then(() => segment.writing.delete(written), () => segment.writing.delete(written));
    return { ref, written };
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

  /** Waits for the writes in flight, then flushes and closes the segment. */
  async close(): Promise<void> {
    this.retire();
    await Promise.all([...this.closing]);
  }

  /** A new segment of this process's own: a unique name, created exclusively. */
  private begin(): void {
    this.retire();
    const now = new Date().toISOString();
    const month = now.slice(0, 7);
    fs.mkdirSync(path.join(this.root, month), { recursive: true });
    const name = `${month}/${now.replace(/[-:]/g, '').replace('.', '-')}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.raw`;
    this.current = { name, fd: fs.openSync(path.join(this.root, name), 'wx'), writing: new Set() };
    this.offset = 0;
  }

  private retire(): void {
    const segment = this.current;
    if (segment === null) return;
    this.current = null;
    const closed = Promise.allSettled([...segment.writing])
      .then(() => fdatasync(segment.fd))
      .finally(() => { fs.closeSync(segment.fd); this.closing.delete(closed); });
    // A failed flush surfaces in close(); a segment retired for the next one is not awaited.
    closed.catch(() => {});
    this.closing.add(closed);
  }
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** Writes all of `buf` at `position` before it returns; a failure is the promise's. */
function writeAllNow(fd: number, buf: Buffer, position: number): Promise<void> {
  try {
    for (let done = 0; done < buf.length;) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** Writes all of `buf` at `position` (a write may take only part of it). */
async function writeAll(fd: number, buf: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buf.length;) {
    done += await new Promise<number>((resolve, reject) => fs.write(fd, buf, done, buf.length - done, position + done,
      (err, n) => (err ? reject(err) : resolve(n))));
  }
}
