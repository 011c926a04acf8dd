import fs from 'node:fs';
import path from 'node:path';
import type { PortalContext } from './portal-context.js';
import type { PortalState } from './portal-state.js';

/** What survives a restart: the whole portal (data, credentials, tokens) and its member id. */
interface Snapshot {
  format: 1;
  memberId: string;
  state: PortalState;
}

// Maps, Sets and Buffers (file contents) in JSON, tagged so they come back as what they were.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Map) return { $map: [...raw.entries()] };
  if (raw instanceof Set) return { $set: [...raw.values()] };
  if (Buffer.isBuffer(raw)) return { $buf: raw.toString('base64') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.$map)) return new Map(v.$map as Array<[unknown, unknown]>);
    if (Array.isArray(v.$set)) return new Set(v.$set);
    if (typeof v.$buf === 'string') return Buffer.from(v.$buf, 'base64');
  }
  return value;
}

/**
 * Keeps the portal in a file, as a real portal keeps its database: loaded at start, written
 * after changes (at most every `debounceMs`), atomically (a temporary file renamed over the
 * old one), so a crash leaves the previous or the new state, never half of one.
 */
export class PortalStore {
  private timer: NodeJS.Timeout | null = null;
  private lastWritten = '';

  constructor(private readonly file: string, private readonly portal: PortalContext, private readonly debounceMs = 200) {}

  /** Replaces the portal's state with the file's; false when there is no file yet. */
  load(): boolean {
    if (!fs.existsSync(this.file)) return false;
    const text = fs.readFileSync(this.file, 'utf8');
    const snapshot = JSON.parse(text, reviver) as Snapshot;
    if (snapshot.format !== 1) throw new Error(`${this.file}: unknown sandbox state format ${String(snapshot.format)}`);
    Object.assign(this.portal.state, snapshot.state);
    this.portal.config.memberId = snapshot.memberId;
    this.lastWritten = text;
    return true;
  }

  /** Something may have changed: write soon. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const snapshot: Snapshot = { format: 1, memberId: this.portal.config.memberId, state: this.portal.state };
    const text = JSON.stringify(snapshot, replacer);
    if (text === this.lastWritten) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.file);
    this.lastWritten = text;
  }
}
