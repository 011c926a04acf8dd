import { portalDate, touch, type PortalContext } from '../portal-context.js';
import { nextId, type QueuedEvent } from '../portal-state.js';

export function enqueueBotEvent(ctx: PortalContext, botId: number, type: string, data: Record<string, unknown>): void {
  push(ctx, ctx.state.data.botQueues, botId, type, data);
}

/** ONIMV2* events reach only users subscribed with im.v2.Event.subscribe (im.v2/events/index.md). */
export function enqueueUserEvent(ctx: PortalContext, userId: number, type: string, data: Record<string, unknown>): void {
  if (!ctx.state.data.userSubscriptions.has(userId)) return;
  push(ctx, ctx.state.data.userQueues, userId, type, data);
}

function push(ctx: PortalContext, queues: Map<number, QueuedEvent[]>, key: number, type: string, data: Record<string, unknown>): void {
  const queue = queues.get(key) ?? [];
  queues.set(key, queue);
  // one id sequence for bot and user events, so a single offset acknowledges both (event-get.md)
  queue.push({ eventId: nextId(ctx.state.data, 'event'), type, date: ctx.now(), data });
  touch(ctx);
}

export interface EventPage {
  events: Array<{ eventId: number; type: string; date: string; data: Record<string, unknown> }>;
  nextOffset: number;
  hasMore: boolean;
}

/**
 * imbot.v2.Event.get / im.v2.Event.get: `offset` acknowledges (deletes) every event with a
 * smaller id; the rest is returned oldest first, `limit` at a time (reference §3).
 */
export function readEvents(
  ctx: PortalContext,
  sources: { botId?: number; userId?: number },
  offset: number | undefined,
  limit: number,
): EventPage {
  const data = ctx.state.data;
  const queues: QueuedEvent[][] = [];
  if (sources.botId !== undefined) queues.push(ownQueue(data.botQueues, sources.botId));
  if (sources.userId !== undefined) queues.push(ownQueue(data.userQueues, sources.userId));
  const oldest = ctx.now() - ctx.config.eventRetentionMs;
  for (const q of queues) {
    const keep = q.filter((e) => (offset === undefined || e.eventId >= offset) && e.date >= oldest);
    q.splice(0, q.length, ...keep);
  }
  const pending = queues.flat().sort((a, b) => a.eventId - b.eventId);
  const page = pending.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map((e) => ({ eventId: e.eventId, type: e.type, date: portalDate(ctx, e.date), data: structuredClone(e.data) })),
    nextOffset: last ? last.eventId + 1 : offset ?? data.seq.event + 1,
    hasMore: pending.length > page.length,
  };
}

function ownQueue(queues: Map<number, QueuedEvent[]>, key: number): QueuedEvent[] {
  const queue = queues.get(key) ?? [];
  queues.set(key, queue);
  return queue;
}

/** Pending events without acknowledging anything (test API). */
export function peekEvents(ctx: PortalContext, botId: number): QueuedEvent[] {
  return (ctx.state.data.botQueues.get(botId) ?? []).map((e) => structuredClone(e));
}
