export interface RequestLogEntry {
  seq: number;
  /** Epoch ms when the request arrived; differences give requests per second. */
  at: number;
  durationMs: number;
  httpMethod: string;
  /** The path with the webhook secret masked. */
  path: string;
  version: 'v2' | 'v3' | null;
  method: string;
  auth: 'webhook' | 'app' | 'none';
  userId: number | null;
  status: number;
  error: string | null;
  /** For `batch`: the sub-call method names. */
  subCalls: string[];
  params: unknown;
}

/** Every REST request the portal answered, in arrival order (test API). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  begin(init: Pick<RequestLogEntry, 'at' | 'httpMethod' | 'path'>): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.seq, durationMs: 0, version: null, method: '', auth: 'none', userId: null, status: 0, error: null,
      subCalls: [], params: null, ...init,
    };
    this.entries.push(entry);
    return entry;
  }

  list(sinceSeq = 0): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > sinceSeq).map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}

export function maskSecret(path: string): string {
  return path.replace(/^(\/rest\/(?:api\/)?\d+\/)[^/]+/, '$1***');
}
