import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export function sha256(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * Content-addressed files under one folder (raw messages, attachments): the same bytes are
 * stored once, and a write is atomic (temp file + rename), so a crash leaves no half file.
 */
export class BlobStore {
  private readonly dirs = new Set<string>();

  constructor(readonly root: string) {}

  /** One level of 256 folders: enough spread, and few folders to create. */
  pathOf(hash: string): string {
    return path.join(this.root, hash.slice(0, 2), hash);
  }

  /** Stores `buf`; pass its sha256 when it is already known. */
  async put(buf: Buffer, knownHash?: string): Promise<string> {
    const hash = knownHash ?? sha256(buf);
    const file = this.pathOf(hash);
    const dir = path.dirname(file);
    if (!this.dirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // Same name, same bytes: renaming over an existing copy is harmless, so no existence check.
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
    await fs.writeFile(tmp, buf);
    await fs.rename(tmp, file);
    return hash;
  }

  get(hash: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(hash));
  }
}
