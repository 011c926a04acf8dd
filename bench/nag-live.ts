// What happens during a bench:nag run besides the backlog: new tickets arrive at random moments
// (the bot posts their cards), and a dispatcher clicks a department button on each new card; the
// click's answer is timed at the portal (the card's buttons changed in its message store).
import { sampleRoles, type Sandbox } from '../sandbox/index.js';
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
export function startClicks(sandbox: Sandbox, botId: () => number | undefined) {
  const clicked = new Set<number>();
  const times: number[] = [];
  const pending: Array<Promise<void>> = [];
  const timer = setInterval(() => {
    const id = botId();
    for (const m of sandbox.portal.state.data.messages.values()) {
      if (m.authorId !== id || clicked.has(m.id) || REMINDER.test(m.text) || !/#\d+/.test(m.text)) continue;
      if (Date.now() - m.date < 1000 || keyboardOf(sandbox, m.id) === 'null') continue;
      clicked.add(m.id);
      pending.push(timeClick(sandbox, m.id).then((ms) => { if (ms !== null) times.push(ms); }));
    }
  }, 100);
  return { async stop() { clearInterval(timer); await Promise.all(pending); return times; } };
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
