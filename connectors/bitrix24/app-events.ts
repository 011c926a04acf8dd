import { B24ApiError } from './b24-errors.js';
import type { B24Port } from './b24-port.js';

/**
 * What an OAuth installation listens to (issue 12): its own removal, and the escalation
 * tasks' changes and comments (reference §2; in the new task card a comment is a task-chat
 * message and ONTASKCOMMENTADD carries its MESSAGE_ID, tasks/comment-item/events-comment).
 */
export const APP_EVENTS = ['ONAPPUNINSTALL', 'ONTASKUPDATE', 'ONTASKCOMMENTADD'] as const;

type Binding = { event: string; handler: string };

/**
 * Binds each event to our handler once: `event.get` first (bindings vanish on uninstall and
 * reinstall, events/event-bind.md), then `event.bind` for the missing ones; a bind refused as
 * already there counts as done. Returns the events it bound now.
 */
export async function bindAppEvents(b24: B24Port, handler: string, events: readonly string[] = APP_EVENTS): Promise<string[]> {
  const { result } = await b24.call<Binding[]>('event.get', {});
  const have = new Set((result ?? []).filter((b) => b.handler === handler).map((b) => b.event.toUpperCase()));
  const missing = events.filter((e) => !have.has(e));
  for (const event of missing) {
    try {
      await b24.call('event.bind', { event, handler }, `event-bind-${event}-${Date.now()}`);
    } catch (err) {
      if (!(err instanceof B24ApiError && /ALREADY/i.test(err.code))) throw err;
    }
  }
  return missing;
}
