// The requests bench:panel times on the queue and the board, each with the kind it stands for,
// so the run can say which filter is slowest.
import { round } from './bench-result.js';

/** Tickets anywhere in the database, as a dispatcher looks for them: by sender, client, subject words. */
export interface Sought { requester_email: string; requester_name: string; client_id: number; subject: string }

export interface TimedRequest { kind: string; path: string }

/** Each of the seed's words is in a tenth of all tickets (bench/panel-seed.ts). */
const COMMON_WORDS = ['printer', 'mail', 'backup', 'login'];

const queue = (query: string) => `/api/panel/queue?${query}`;

/**
 * The queue requests of the run, kinds in turn, each as often: one's own open tickets page by
 * page in each order, the unassigned, the department's, all open by activity and by age
 * (older than two days), a closed status, all tickets newest first (paged), one client's, and
 * searches across all tickets by number, sender address, sender name, words of a subject, a
 * common word (across all tickets, all open ones, and in one's own queue).
 */
export function queueRequests(open: number, samples: number, numbers: number[], sought: Sought[]): TimedRequest[] {
  const pages = Math.max(1, Math.ceil(open / 50));
  const any = (i: number) => sought[i % sought.length];
  const word = (i: number) => COMMON_WORDS[Math.floor(i / kinds.length) % COMMON_WORDS.length];
  const kinds: Array<[string, (i: number) => string]> = [
    ['mine, oldest first, paged', (i) => `view=mine&status=open&sort=oldest&page=${1 + (i % pages)}`],
    ['mine, newest first, paged', (i) => `view=mine&status=open&sort=newest&page=${1 + (i % pages)}`],
    ['mine, by activity, paged', (i) => `view=mine&status=open&sort=activity&page=${1 + (i % pages)}`],
    ['unassigned new', () => 'view=unassigned&status=new&sort=oldest'],
    ['my department, open', () => 'view=department&status=open&sort=oldest'],
    ['all open, by activity', () => 'view=all&status=open&sort=activity'],
    ['all open, older than 48 h', () => 'view=all&status=open&sort=oldest&olderThanHours=48'],
    ['all resolved, by activity', () => 'view=all&status=resolved&sort=activity'],
    ['all, newest first, pages 1-5', (i) => `view=all&status=any&sort=newest&page=${1 + (i % 5)}`],
    ['one client, newest first', (i) => `view=all&status=any&sort=newest&client=${any(i).client_id}`],
    ['search: number', (i) => `view=all&status=any&q=${numbers[i % numbers.length]}`],
    ['search: sender address', (i) => `view=all&status=any&q=${encodeURIComponent(any(i).requester_email)}`],
    ['search: sender name', (i) => `view=all&status=any&q=${encodeURIComponent(any(i).requester_name)}`],
    ['search: subject words', (i) => `view=all&status=any&q=${encodeURIComponent(any(i).subject.split(' ').slice(2).join(' '))}`],
    ['search: common word, all', (i) => `view=all&status=any&q=${word(i)}`],
    ['search: common word, all open', (i) => `view=all&status=open&q=${word(i)}`],
    ['search: common word, mine', (i) => `view=mine&status=open&q=${word(i)}`],
  ];
  return Array.from({ length: samples }, (_, i) => {
    const [kind, query] = kinds[i % kinds.length];
    return { kind, path: queue(query(i)) };
  });
}

/** The board's data as its page asks for it, each view in turn. */
export function boardRequests(samples: number): TimedRequest[] {
  const views = ['all', 'mine', 'department', 'unassigned'];
  return Array.from({ length: samples }, (_, i) => ({ kind: `board: ${views[i % views.length]}`, path: `/api/panel/board?view=${views[i % views.length]}` }));
}

/** The p-th fraction (0..1) of `xs`, nearest rank. */
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))];

/** One line per kind, slowest p95 first: "p50 … p95 … ms (n) kind". */
export function perKind(requests: TimedRequest[], times: number[]): string[] {
  const byKind = new Map<string, number[]>();
  requests.forEach((r, i) => byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), times[i]]));
  return [...byKind].sort(([, a], [, b]) => percentile(b, 0.95) - percentile(a, 0.95))
    .map(([kind, xs]) => `p50 ${round(percentile(xs, 0.5), 1)} p95 ${round(percentile(xs, 0.95), 1)} ms (${xs.length}): ${kind}`);
}
