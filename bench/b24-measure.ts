// What bench:b24 reads back from the sandbox portal: every call it carried out (batches opened
// into their sub-calls, with parameters), duplicates of each kind, and when each message arrived.
import { parsePhpQuery, type RequestLogEntry, type Sandbox } from '../sandbox/index.js';

export interface PortalCall { method: string; params: Record<string, unknown>; at: number }

/** The calls the portal carried out: requests it answered 200, a batch counting as its sub-calls. */
export function executedCalls(requests: RequestLogEntry[]): PortalCall[] {
  return requests.filter((r) => r.status === 200).flatMap((r) => {
    // The portal has the call once it has answered: the request's arrival plus its handling time.
    const at = r.at + r.durationMs;
    if (r.method !== 'batch') return [{ method: r.method, params: (r.params ?? {}) as Record<string, unknown>, at }];
    const cmd = (r.params as { cmd?: Record<string, string> | string[] }).cmd ?? {};
    return Object.values(cmd).map((row) => {
      const q = row.indexOf('?');
      return { method: q < 0 ? row : row.slice(0, q), params: q < 0 ? {} : parsePhpQuery(row.slice(q + 1)) as Record<string, unknown>, at };
    });
  });
}

const messageText = (c: PortalCall) => String((c.params.fields as Record<string, unknown> | undefined)?.message ?? '');

/** When the portal first had each message send, by its text. */
export function sendTimes(calls: PortalCall[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const c of calls) if (c.method === 'imbot.v2.Chat.Message.send' && !at.has(messageText(c))) at.set(messageText(c), c.at);
  return at;
}

const extra = (keys: string[]) => keys.length - new Set(keys).size;

/**
 * Duplicates by kind, as the portal shows them: a message posted twice (its text twice in the
 * bot's chats), a task created twice (its title twice), an edit carried out twice, and reads
 * carried out more often than they were asked for (`issued`: logical calls per method).
 */
export function countDuplicates(sandbox: Sandbox, botId: number, users: number[], calls: PortalCall[],
  issued: Record<string, number>): Record<string, number> {
  const posts = users.flatMap((u) => sandbox.dialogMessages(u, String(botId))).filter((m) => m.authorId === botId);
  const reads = (method: string) => Math.max(0, calls.filter((c) => c.method === method).length - (issued[method] ?? 0));
  return {
    messages: extra(posts.map((m) => String(m.text).replace(/ \(edited\)$/, ''))),
    edits: extra(calls.filter((c) => c.method === 'imbot.v2.Chat.Message.update').map(messageText)),
    tasks: extra(sandbox.tasks().map((t) => String((t as { title: unknown }).title))),
    user_reads: reads('user.get'),
    department_reads: reads('department.get'),
  };
}
