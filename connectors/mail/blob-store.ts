import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sha256(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

export interface BlobStoreOptions {
  /**
   * Write with blocking calls, where holding the thread for the fraction of a millisecond a
   * write takes is fine (a parser thread). Each async call is a round
   * trip through libuv's pool, which roughly doubles what a write costs.
   */
  blocking?: boolean;
}

/**
 * Content-addressed files under one folder (attachments, report PDFs): the same bytes are
 * stored once, and a write is atomic (temp file + rename), so a crash leaves no half file.
 */
export class BlobStore {
  private readonly dirs = new Set<string>();

  constructor(readonly root: string, private readonly o: BlobStoreOptions = {}) {}

  /** One level of 256 folders: enough spread, and few folders to create. */
  pathOf(hash: string): string {
    return path.join(this.root, hash.slice(0, 2), hash);
  }

  /**
   * Creates the 256 folders up front, so a busy writer never stops for one (an mkdir costs
   * about as much as writing a whole message).
   */
  prepare(): void {
    for (let i = 0; i < 256; i++) {
      const dir = path.join(this.root, i.toString(16).padStart(2, '0'));
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
  }

  /** Stores `buf`; pass its sha256 when it is already known. */
  async put(buf: Buffer, knownHash?: string): Promise<string> {
    const hash = knownHash ?? sha256(buf);
    const file = this.pathOf(hash);
    const dir = path.dirname(file);
    // Same name, same bytes: renaming over an existing copy is harmless, so no existence check.
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
    if (this.o.blocking) {
      if (!this.dirs.has(dir)) fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, buf);
      fs.renameSync(tmp, file);
    } else {
      if (!this.dirs.has(dir)) await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(tmp, buf);
      await fs.promises.rename(tmp, file);
    }
    this.dirs.add(dir);
    return hash;
  }

  get(hash: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(hash));
  }
}
