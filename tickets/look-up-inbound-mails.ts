import type { Sql } from './store/db.js';
import type { Client, InboundMail, Ticket } from './types.js';
import { rowToTicket } from './store/ticket-repo.js';
import { findEarlyReplies } from './thread-mail.js';
import { MailCopies } from './mail-copies.js';

/** Our subject tag: `[#1042]`. */
export const TAG = /\[#(\d{1,12})\]/;

export interface Lookups {
  /** Stored mail an incoming one may repeat (mail-copies.ts). */
  copies: MailCopies;
  clients: Map<string, Client>;
  /** Tickets involved, by id; a merged ticket's id maps to the ticket that took its mail. */
  tickets: Map<number, Ticket>;
  /** Tagged tickets by number, as named (a merged one too: its client decides whether the tag counts). */
  byNumber: Map<number, Ticket>;
  ticketByMessageId: Map<string, number>;
  earlyReplies: Map<string, Set<number>>;
}

/**
 * Everything a slice's threading needs, in a fixed number of statements whatever its size:
 * stored copies (dedupe), senders' clients, the tickets of the mail it names (forward) and of
 * stored mail naming it (backward: tickets/thread-mail.ts), and tagged tickets.
 */
export async function lookUpInbound(tx: Sql, mails: InboundMail[]): Promise<Lookups> {
  const senders = [...new Set(mails.map((m) => m.from?.address.toLowerCase()).filter((a): a is string => !!a))];
  const refs = [...new Set(mails.flatMap((m) => [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])]))];
  const tags = [...new Set(mails.map((m) => TAG.exec(m.subject)?.[1]).filter((t): t is string => !!t).map(Number))];
  // One statement each for the whole batch; sequential, as a transaction is one connection.
  const copies = await MailCopies.load(tx, mails);
  const clients = await tx.query<Client & { key: string; exact: boolean }>(
      `select ct.email as key, true as exact, c.id, c.company, c.language from client_contacts ct join clients c on c.id = ct.client_id
        where ct.email = any($1)
       union all
       select d.domain, false, c.id, c.company, c.language from client_domains d join clients c on c.id = d.client_id
        where d.domain = any($2)`,
      [senders, [...new Set(senders.map((s) => s.slice(s.lastIndexOf('@') + 1)))]]);
  const refRows = refs.length === 0 ? [] : await tx.query<{ message_id: string; ticket_id: number }>(
    'select message_id, ticket_id from messages where message_id = any($1) order by id', [refs]);
  const ticketByMessageId = new Map(refRows.map((r) => [r.message_id, r.ticket_id]));
  const earlyReplies = await findEarlyReplies(tx, mails.map((m) => m.messageId).filter((id): id is string => !!id));
  const ids = [...ticketByMessageId.values(), ...[...earlyReplies.values()].flatMap((s) => [...s])];
  // Most slices are new requests: no tag, nothing referenced, nothing to look up.
  const ticketRows = tags.length === 0 && ids.length === 0 ? []
    : (await tx.query('select * from tickets where number = any($1) or id = any($2)', [tags, ids])).map(rowToTicket);
  const tickets = await followMerges(tx, ticketRows);
  return {
    copies,
    clients: new Map(clients.map((c) => [c.exact ? `@${c.key}` : c.key, { id: c.id, company: c.company, language: c.language }])),
    tickets, byNumber: new Map(ticketRows.map((t) => [t.number, t])), ticketByMessageId, earlyReplies,
  };
}

/** Maps each ticket's id to itself, or a merged one's to the ticket that finally took its mail. */
async function followMerges(tx: Sql, rows: Ticket[]): Promise<Map<number, Ticket>> {
  const byId = new Map(rows.map((t) => [t.id, t]));
  for (let hops = 0; hops < 5; hops++) {
    const missing = [...byId.values()].map((t) => t.mergedInto).filter((id): id is number => id !== null && !byId.has(id));
    if (missing.length === 0) break;
    for (const r of await tx.query('select * from tickets where id = any($1)', [missing])) byId.set(r.id as number, rowToTicket(r));
  }
  const resolve = (t: Ticket): Ticket => (t.mergedInto !== null && byId.has(t.mergedInto) ? resolve(byId.get(t.mergedInto)!) : t);
  return new Map([...byId.values()].map((t) => [t.id, resolve(t)]));
}
