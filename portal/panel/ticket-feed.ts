import type { Request, Response } from 'express';
import type { Db } from '../../tickets/store/db.js';

/** The channel the database triggers of migration 016 announce ticket changes on (payload: number). */
export const TICKET_CHANNEL = 'modest_ticket';

/**
 * Ticket changes from every process (the bot's worker, the intake, this web process), heard by
 * LISTEN on the database and fanned out to the open pages of this process.
 */
export class TicketFeed {
  private readonly subscribers = new Set<(number: number) => void>();
  private unlisten: (() => Promise<void>) | null = null;

  static async start(db: Db): Promise<TicketFeed> {
    const feed = new TicketFeed();
    feed.unlisten = await db.listen(TICKET_CHANNEL, (payload) => {
      const n = Number(payload);
      if (Number.isSafeInteger(n)) for (const s of feed.subscribers) s(n);
    });
    return feed;
  }

  subscribe(fn: (number: number) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.subscribers.clear();
  }
}

/**
 * Server-sent events: `ticket` with the changed ticket's number (only that ticket's when the
 * page names one). The page fetches what changed through the API, which checks its rights.
 */
export function streamTicketEvents(feed: TicketFeed, req: Request, res: Response): void {
  const only = req.query.ticket ? Number(req.query.ticket) : null;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n: connected\n\n');
  const unsubscribe = feed.subscribe((number) => {
    if (only === null || only === number) res.write(`event: ticket\ndata: ${number}\n\n`);
  });
  // Proxies close a silent connection; a comment every 20 s keeps it open.
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 20_000);
  req.on('close', () => { clearInterval(heartbeat); unsubscribe(); });
}
