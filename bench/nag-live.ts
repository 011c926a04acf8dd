// What happens during a bench:nag run besides the backlog: new tickets arrive at random moments
// (the bot posts their cards), and a dispatcher clicks a department button on each new card; the
// click's answer is timed at the portal (the card's buttons changed in its message store).
import { sampleRoles, type RequestLogEntry, type Sandbox } from '../sandbox/index.js';
import { percentile } from './bench-result.js';
import { seededRandom } from '../sandbox/portal-context.js';
import type { Db } from '../tickets/store/db.js';
import { insertArrival } from './nag-seed.js';

export const REMINDER = /^(Не назначено обращений|Unassigned tickets|Закрыто без времени|Closed without time): (\d+)\./;

const keyboardOf = (sandbox: Sandbox, id: number) => JSON.stringify(sandbox.portal.state.data.messages.get(id)?.params.KEYBOARD ?? null);

/** Inserts tickets at random moments (`perMinute` on average) until stopped; returns how many. */
export function startArrivals(db: Db, perMinute: number, seed = 5) {
  const random = seededRandom(seed);
  let stopped = false;
  let count = 0;
  const done = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, (-Math.log(1 - random()) / perMinute) * 60_000));
      if (stopped) break;
      await insertArrival(db, new Date());
      count++;
    }
  })();
  return { async stop() { stopped = true; await done; return count; } };
}

/**
 * Clicks the first department button on every new card that appears in the dispatch chat, one
 * second after it appeared, and notes how long until the portal shows the card changed.
 */
export interface TimedClick { at: number; ms: number; messageId: number }

export function startClicks(sandbox: Sandbox, botId: () => number | undefined) {
  const clicked = new Set<number>();
  const times: TimedClick[] = [];
  const pending: Array<Promise<void>> = [];
  const timer = setInterval(() => {
    const id = botId();
    for (const m of sandbox.portal.state.data.messages.values()) {
      if (m.authorId !== id || clicked.has(m.id) || REMINDER.test(m.text) || !/#\d+/.test(m.text)) continue;
      if (Date.now() - m.date < 1000 || keyboardOf(sandbox, m.id) === 'null') continue;
      clicked.add(m.id);
      const at = Date.now();
      pending.push(timeClick(sandbox, m.id).then((ms) => { if (ms !== null) times.push({ at, ms, messageId: m.id }); }));
    }
  }, 100);
  return { async stop() { clearInterval(timer); await Promise.all(pending); return times; } };
}

const fetchesEvents = (r: RequestLogEntry) => (r.method === 'batch' ? r.subCalls : [r.method]).includes('imbot.v2.Event.get');
const updates = (r: RequestLogEntry, messageId: number) => (r.method === 'batch' ? r.subCalls : [r.method]).includes('imbot.v2.Chat.Message.update')
  && new RegExp(`messageId(%22)?[=":]+"?${messageId}\\b`).test(JSON.stringify(r.params));

/**
 * Where a click's time goes, read from the portal's request log: click -> the next event fetch
 * (the bot pulls its events), that fetch -> the request that updated the card, that request
 * arriving -> the card changed. Returns p50/p95 of each leg in seconds, for the log.
 */
export function clickLegs(clicks: TimedClick[], requests: RequestLogEntry[]): Record<string, [number, number]> {
  const legs: Record<string, number[]> = { 'click->fetch': [], 'fetch->update': [], 'update->shown': [] };
  for (const c of clicks) {
    const fetch = requests.find((r) => r.at >= c.at && fetchesEvents(r));
    const update = fetch && requests.find((r) => r.at >= fetch.at && updates(r, c.messageId));
    if (!fetch || !update) continue;
    legs['click->fetch'].push(fetch.at - c.at);
    legs['fetch->update'].push(update.at - fetch.at);
    legs['update->shown'].push(c.at + c.ms - update.at);
  }
  return Object.fromEntries(Object.entries(legs).map(([k, xs]) => [k, [percentile(xs, 50) / 1000, percentile(xs, 95) / 1000]]));
}

async function timeClick(sandbox: Sandbox, messageId: number): Promise<number | null> {
  const before = keyboardOf(sandbox, messageId);
  const at = Date.now();
  sandbox.clickButton({ userId: sampleRoles.dispatcher, messageId, buttonIndex: 0 });
  for (const deadline = at + 60_000; Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 20));
    if (keyboardOf(sandbox, messageId) !== before) return Date.now() - at;
  }
  return null;
}
