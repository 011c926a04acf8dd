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

export interface SeenMessage { id: number; chatId: number; authorId: number; at: number }

/**
 * Notes every message as it appears in the portal, with the portal's own timestamp (ms): each
 * reminder deletes the one before it, so reading the chats at the end would miss all but the last.
 */
export function watchMessages(sandbox: Sandbox, everyMs = 100): { stop(): SeenMessage[] } {
  const seen = new Map<number, SeenMessage>();
  const look = () => {
    for (const m of sandbox.portal.state.data.messages.values()) {
      if (!m.isSystem && !seen.has(m.id)) seen.set(m.id, { id: m.id, chatId: m.chatId, authorId: m.authorId, at: m.date });
    }
  };
  const timer = setInterval(look, everyMs);
  return { stop: () => { clearInterval(timer); look(); return [...seen.values()].sort((a, b) => a.id - b.id); } };
}

/** The portal chat behind a bot dialog id: `chatN`, or the private chat with user N. */
function chatOf(sandbox: Sandbox, botId: number, dialogId: string): number | undefined {
  const chat = /^chat(\d+)$/.exec(dialogId);
  if (chat) return Number(chat[1]);
  return sandbox.dialogMessages(Number(dialogId), String(botId))[0]?.chatId as number | undefined;
}

/**
 * Per dialog, the n-th reminder decided is the n-th bot message in its chat (nothing else is
 * posted there). Reminder n+1 is due `intervalMs` after reminder n was decided (the bot's own
 * rule); its lateness is when its message appeared minus that. Returns the worst, in ms.
 */
export function maxLatenessMs(events: ReminderEvent[], messages: SeenMessage[], sandbox: Sandbox, botId: number,
  intervalMs: number, log: (m: string) => void): number {
  let worst = 0;
  for (const dialogId of [...new Set(events.map((e) => e.dialogId))]) {
    const decided = events.filter((e) => e.dialogId === dialogId && e.done).sort((a, b) => a.sentAt - b.sentAt);
    const chatId = chatOf(sandbox, botId, dialogId);
    const posted = messages.filter((m) => m.chatId === chatId && m.authorId === botId);
    if (posted.length < decided.length) throw new Error(`dialog ${dialogId}: ${decided.length} reminders decided, ${posted.length} appeared`);
    const late = decided.slice(1).map((_, k) => posted[k + 1].at - (decided[k].sentAt + intervalMs));
    log(`dialog ${dialogId}: ${decided.length} reminders; late by ${late.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`);
    worst = Math.max(worst, ...late);
  }
  return worst;
}

const isEventPoll = (r: RequestLogEntry) => (r.method === 'batch' ? r.subCalls.every((m) => m === 'imbot.v2.Event.get') : r.method === 'imbot.v2.Event.get');
const calls = (r: RequestLogEntry) => (r.method === 'batch' ? r.subCalls : [r.method]);

/**
 * Requests per round: those from a round's start to the next round's, less the event polls,
 * which run on their own clock whether or not anything is due. Returns the most in one round.
 */
export function maxCallsPerRound(rounds: number[], requests: RequestLogEntry[], endAt: number, log: (m: string) => void): number {
  let most = 0;
  rounds.forEach((start, k) => {
    const end = rounds[k + 1] ?? endAt;
    const inRound = requests.filter((r) => r.at >= start && r.at < end);
    const own = inRound.filter((r) => !isEventPoll(r));
    const subCalls = own.flatMap(calls);
    const count = (method: string) => subCalls.filter((m) => m === method).length;
    log(`round ${k + 1} (+${((end - start) / 1000).toFixed(1)} s): ${own.length} requests carrying ${subCalls.length} calls `
      + `(${count('imbot.v2.Chat.Message.send')} sends, ${count('imbot.v2.Chat.Message.delete')} deletes), `
      + `plus ${inRound.length - own.length} event polls`);
    most = Math.max(most, own.length);
  });
  return most;
}
