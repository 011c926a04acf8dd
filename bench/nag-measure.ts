// What bench:nag reads back: the reminders the bot decided (its bot_events), the messages that
// appeared in the sandbox, and the REST requests the sandbox logged.
import type { Db } from '../tickets/store/db.js';
import type { Effect } from '../bot/effects.js';
import type { RequestLogEntry, Sandbox } from '../sandbox/index.js';

/** One reminder as the bot decided it: due again `interval` after `sentAt`. */
export interface ReminderEvent {
  kind: 'unassigned' | 'missing_time';
  dialogId: string;
  sentAt: number;
  done: boolean;
}

/** Every reminder round the bot recorded; its effects (delete the old one, send the new) are stored with it. */
export async function readReminderEvents(db: Db): Promise<ReminderEvent[]> {
  const rows = await db.query<{ effects: Effect[]; done_at: Date | null }>(
    `select effects, done_at from bot_events where event_key like 'remind-%'`);
  return rows.flatMap((r) => r.effects.flatMap((e) => (e.op === 'send' && e.reminder
    ? [{ kind: e.reminder.kind, dialogId: e.dialogId, sentAt: Date.parse(e.reminder.sentAt), done: r.done_at !== null }]
    : [])));
}

/** Round start times (one `now` per tick serves every dialog) whose effects all ran. */
export function finishedRounds(events: ReminderEvent[]): number[] {
  const open = new Set(events.filter((e) => !e.done).map((e) => e.sentAt));
  return [...new Set(events.map((e) => e.sentAt))].filter((t) => !open.has(t)).sort((a, b) => a - b);
}

export interface SeenMessage { id: number; chatId: number; authorId: number; at: number; text: string }

/**
 * Notes every message as it appears in the portal, with the portal's own timestamp (ms): each
 * reminder deletes the one before it, so reading the chats at the end would miss all but the last.
 */
export function watchMessages(sandbox: Sandbox, everyMs = 100): { stop(): SeenMessage[] } {
  const seen = new Map<number, SeenMessage>();
  const look = () => {
    for (const m of sandbox.portal.state.data.messages.values()) {
      if (!m.isSystem && !seen.has(m.id)) seen.set(m.id, { id: m.id, chatId: m.chatId, authorId: m.authorId, at: m.date, text: m.text });
    }
  };
  const timer = setInterval(look, everyMs);
  return { stop: () => { clearInterval(timer); look(); return [...seen.values()].sort((a, b) => a.id - b.id); } };
}

/**
 * Per ticket, at the portal. Ticket i, in the order they became known (`known`: the backlog at
 * the worker's start, then each arrival when its card appeared), is in reminder k once k's
 * count is more than i (nothing gets assigned, so a count covers the oldest tickets). Lateness:
 * from known + interval to the first reminder covering it (still waiting at `endAt` counts to
 * then), and every later gap between reminders beyond the interval. Returns the worst, in ms.
 */
export function ticketLatenessMs(reminders: Array<{ at: number; count: number }>, known: number[], intervalMs: number, endAt: number): number {
  let worst = 0;
  known.forEach((k, i) => {
    const first = reminders.find((r) => r.at >= k && r.count > i);
    worst = Math.max(worst, (first?.at ?? Math.max(endAt, k + intervalMs)) - k - intervalMs);
  });
  for (let n = 1; n < reminders.length; n++) worst = Math.max(worst, reminders[n].at - reminders[n - 1].at - intervalMs);
  return worst;
}

const isEventPoll = (r: RequestLogEntry) => (r.method === 'batch' ? r.subCalls.every((m) => m === 'imbot.v2.Event.get') : r.method === 'imbot.v2.Event.get');
const calls = (r: RequestLogEntry) => (r.method === 'batch' ? r.subCalls : [r.method]);

/**
 * Requests per round: every REST request the portal saw from a round's start to the next
 * round's, event polls included. Returns the most in one round.
 */
export function maxRequestsPerRound(rounds: number[], requests: RequestLogEntry[], endAt: number, log: (m: string) => void): number {
  let most = 0;
  rounds.forEach((start, k) => {
    const end = rounds[k + 1] ?? endAt;
    const inRound = requests.filter((r) => r.at >= start && r.at < end);
    const subCalls = inRound.flatMap(calls);
    const count = (method: string) => subCalls.filter((m) => m === method).length;
    log(`round ${k + 1} (+${((end - start) / 1000).toFixed(1)} s): ${inRound.length} requests carrying ${subCalls.length} calls `
      + `(${count('imbot.v2.Chat.Message.send')} sends, ${count('imbot.v2.Chat.Message.delete')} deletes, `
      + `${inRound.filter(isEventPoll).length} event polls)`);
    most = Math.max(most, inRound.length);
  });
  return most;
}
