import type { B24Params } from './b24-transport.js';

export interface B24Answer<T> {
  result: T;
  total?: number;
  next?: number;
}

/** How the rest of the app calls Bitrix24 (implemented by the shared call queue in workers/). */
export interface B24Port {
  /** Calls and waits for the answer. `key` makes it idempotent (default: a fresh one, for reads). */
  call<T = unknown>(method: string, params: B24Params, key?: string): Promise<B24Answer<T>>;
  /** Queues a call and returns at once; it runs (and retries) in the background. */
  post(method: string, params: B24Params, key: string): Promise<void>;
}

/** Reads a whole list method page by page with `start` (reference §7: 50 per page, `next`). */
export async function listAll<T>(b24: B24Port, method: string, params: B24Params = {}): Promise<T[]> {
  const all: T[] = [];
  let start: number | undefined = 0;
  while (start !== undefined) {
    const page: B24Answer<T[]> = await b24.call<T[]>(method, { ...params, start });
    all.push(...page.result);
    start = page.next !== undefined && page.next > start ? page.next : undefined;
  }
  return all;
}
