// The load side of bench:cabinet: people signed in to the cabinet, each going through the
// list, the two searches and a ticket's detail, timed at the HTTP edge (request sent to
// body read), as the browser would see it.
import { word } from './cabinet-seed.js';

export type Kind = 'list' | 'search_number' | 'search_words' | 'detail';

export interface Person { email: string; clientId: number; employee: boolean; numbers: number[] }

export class CabinetSession {
  private cookie = '';
  private csrf = '';

  constructor(readonly base: string, readonly person: Person) {}

  private keep(res: Response): void {
    const jar = new Map(this.cookie.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    this.csrf = decodeURIComponent(jar.get('cabinet_csrf') ?? '');
  }

  async signIn(password: string): Promise<void> {
    this.keep(await fetch(`${this.base}/api/session`));
    const res = await fetch(`${this.base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf, cookie: this.cookie },
      body: JSON.stringify({ email: this.person.email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in of ${this.person.email}: ${res.status} ${await res.text()}`);
    this.keep(res);
  }

  /** The same signed-in person, asking another server (the ceiling's) with the same cookie. */
  at(base: string): CabinetSession {
    const moved = new CabinetSession(base, this.person);
    moved.cookie = this.cookie;
    return moved;
  }

  /** One GET, timed; a non-200 answer fails the run (a fast error is no result). */
  async get(path: string): Promise<number> {
    const t = performance.now();
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie, accept: 'application/json' } });
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`GET ${path} as ${this.person.email}: ${res.status} ${body.slice(0, 200)}`);
    return ms;
  }
}

const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)];
const STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'rejected'] as const;

/** A request of each kind as a person would make it: filters and sorts of the list, a number or a word to find, a ticket to open. */
export function requestOf(kind: Kind, p: Person): string {
  switch (kind) {
    case 'list': {
      const page = 1 + Math.floor(Math.random() * 3);
      const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
      const from = 30 + Math.floor(Math.random() * 600);
      return `/api/tickets?page=${page}&${pick([
        `status=${pick(STATUSES)}&sort=activity&dir=desc`,
        `from=${day(from)}&to=${day(from - 30)}&sort=opened&dir=desc`,
        `status=${pick(STATUSES)}&sort=opened&dir=asc`,
        `sort=number&dir=desc`,
        `sender=user${Math.floor(Math.random() * 20)}@c${p.clientId}.example&sort=activity`,
      ])}`;
    }
    case 'search_number': return `/api/tickets?q=${encodeURIComponent(`#${pick(p.numbers)}`)}`;
    case 'search_words': return `/api/tickets?q=${encodeURIComponent(word(Math.floor(Math.random() * 2000)))}`;
    case 'detail': return `/api/tickets/${pick(p.numbers)}`;
  }
}

export function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/**
 * Every session makes `rounds` requests of each kind, in a shuffled order, all sessions at once.
 * With `thinkMs` 0 each sends its next request the moment the last answer is read (always one
 * request in flight per session); otherwise it first reads the answer for a random 0..2×thinkMs,
 * as a person does (the pause is not part of the time measured).
 */
export async function runLoad(sessions: CabinetSession[], rounds: number, thinkMs = 0): Promise<Record<Kind, number[]>> {
  const times: Record<Kind, number[]> = { list: [], search_number: [], search_words: [], detail: [] };
  const kinds = Object.keys(times) as Kind[];
  const think = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * thinkMs));
  await Promise.all(sessions.map(async (s) => {
    const plan = Array.from({ length: rounds }, () => kinds).flat().sort(() => Math.random() - 0.5);
    for (const kind of plan) {
      if (thinkMs > 0) await think();
      times[kind].push(await s.get(requestOf(kind, s.person)));
    }
  }));
  return times;
}

/** `requests` GETs of `path` per session, all sessions at once, paced as runLoad paces them. */
export async function runSame(sessions: CabinetSession[], path: string, requests: number, thinkMs = 0): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(sessions.map(async (s) => {
    for (let i = 0; i < requests; i++) {
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * thinkMs));
      times.push(await s.get(path));
    }
  }));
  return times;
}
