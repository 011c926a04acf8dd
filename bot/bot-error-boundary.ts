import { B24ApiError, isConnectionFailure, isTransient } from '../connectors/bitrix24/b24-errors.js';
import { TicketError } from '../tickets/errors.js';
import type { BotDeps } from './bot-deps.js';

/** What the log says about the event a handler was working on. */
export interface BotEventContext {
  /** The event's idempotency key (`tick.<chore>` for the scheduled chores). */
  key: string;
  type: string;
  userId?: number;
  dialogId?: string;
  messageId?: number;
  command?: string;
}

export type BotErrorVerdict = 'retry' | 'give_up';

// SQLSTATE classes that a second try cannot change: data exceptions, integrity violations,
// syntax or access rule errors (a bug or a schema out of step). Others (08 connection, 40
// serialization/deadlock, 53 resources, 57 operator intervention) pass with time.
const PERMANENT_SQL_CLASSES = new Set(['22', '23', '42']);
const sqlState = (err: unknown): string | null => {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
};

/**
 * Retry or give up, by the error's type alone: a ticket rule's no, the portal's final no, bad
 * data and programming errors never heal; an unreachable or busy portal, a lost database
 * connection or a conflict between transactions does. What is not known to be final is tried
 * again (the queue's attempts bound it): a click is delayed rather than lost.
 */
export function judgeBotError(err: unknown): { verdict: BotErrorVerdict; kind: string } {
  if (err instanceof TicketError) return { verdict: 'give_up', kind: err.code };
  if (isTransient(err) || isConnectionFailure(err)) return { verdict: 'retry', kind: err instanceof B24ApiError ? `b24.${err.code}` : 'unreachable' };
  if (err instanceof B24ApiError) return { verdict: 'give_up', kind: `b24.${err.code}` };
  const state = sqlState(err);
  if (state) return { verdict: PERMANENT_SQL_CLASSES.has(state.slice(0, 2)) ? 'give_up' : 'retry', kind: `sql.${state}` };
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError) {
    return { verdict: 'give_up', kind: 'bug' };
  }
  return { verdict: 'retry', kind: 'unknown' };
}

/**
 * The one place every bot handler runs in (grammY's errorBoundary): a failure is logged with
 * the event it belongs to and judged. `retry`: rethrown for an event, so its queue tries it
 * again with backoff; for a scheduled chore the next tick is the retry, and the other chores
 * still run. `give_up`: logged as an error with its stack and not retried.
 */
export async function botErrorBoundary(deps: Pick<BotDeps, 'log'>, event: BotEventContext, handler: () => Promise<unknown>,
  opts: { retryBy: 'throw' | 'next_tick' } = { retryBy: 'throw' }): Promise<void> {
  try {
    await handler();
  } catch (err) {
    const { verdict, kind } = judgeBotError(err);
    const message = err instanceof Error ? err.message : String(err);
    if (verdict === 'retry') {
      deps.log.warn({ event, kind, err: message }, opts.retryBy === 'throw' ? 'bot event failed; it will be tried again' : 'bot chore failed; the next tick tries again');
      if (opts.retryBy === 'throw') throw err;
      return;
    }
    deps.log.error({ event, kind, err: message, stack: err instanceof Error ? err.stack : undefined }, 'bot event given up: it cannot succeed');
  }
}
