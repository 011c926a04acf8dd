import type { Sql } from '../tickets/store/db.js';
import { rowToTicket } from '../tickets/store/ticket-repo.js';
import type { AttachmentMeta, AutoKind, Language, Ticket } from '../tickets/types.js';
import type { DispatchTicket } from './render-dispatch-message.js';

export interface TicketCard {
  ticket: Ticket;
  card: DispatchTicket;
  /** The client's language (mail to the client), or null for an unknown client. */
  clientLanguage: Language | null;
}

const CARD_SQL = `select t.*, c.company, c.language as client_language, m.body_text as first_text, m.attachments as first_attachments,
            m.auto_kind as first_auto_kind, m.sender_unknown,
            array(select distinct a from messages f, unnest(f.to_addresses) a where f.ticket_id = t.id and f.send_state = 'failed' order by a)
              as undeliverable
       from tickets t
       left join clients c on c.id = t.client_id
       left join lateral (select body_text, attachments, auto_kind, sender_unknown from messages where ticket_id = t.id and direction = 'in' order by id limit 1) m on true`;

function rowToCard(r: Record<string, unknown>): TicketCard {
  const ticket = rowToTicket(r);
  const files = (r.first_attachments as AttachmentMeta[] | null) ?? [];
  return {
    ticket,
    clientLanguage: (r.client_language as Language | null) ?? null,
    card: {
      number: ticket.number, subject: ticket.subject, company: (r.company as string | null) ?? null,
      requesterName: ticket.requesterName, requesterEmail: ticket.requesterEmail,
      ...(r.sender_unknown ? { senderUnknown: true } : {}),
      excerpt: ((r.first_text as string | null) ?? '').slice(0, 400), attachments: files.map((a) => ({ name: a.filename, size: a.size })),
      autoKind: (r.first_auto_kind as AutoKind | null) ?? null, undeliverable: (r.undeliverable as string[] | null) ?? [],
    },
  };
}

/**
 * Tickets with what the bot shows about them: company, first mail's excerpt and files (each
 * card links the ticket's staff page through its "Open" line, texts.ts openLink).
 */
export async function loadTicketCards(sql: Sql, ticketIds: number[]): Promise<TicketCard[]> {
  if (ticketIds.length === 0) return [];
  const rows = await sql.query(`${CARD_SQL} where t.id = any($1::bigint[])`, [ticketIds]);
  const byId = new Map(rows.map((r) => [r.id as number, r]));
  return ticketIds.filter((id) => byId.has(id)).map((id) => rowToCard(byId.get(id)!));
}

export async function loadTicketCard(sql: Sql, ticketId: number): Promise<TicketCard | null> {
  return (await loadTicketCards(sql, [ticketId]))[0] ?? null;
}

/**
 * The ticket, by number or id, locked for the transaction, with its card: one read for a click
 * or a reply. Two clicks at once are served one after the other.
 */
export async function lockTicketCard(sql: Sql, ref: { number: number } | { id: number }): Promise<TicketCard | null> {
  const [row] = 'number' in ref
    ? await sql.query(`${CARD_SQL} where t.number = $1 for update of t`, [ref.number])
    : await sql.query(`${CARD_SQL} where t.id = $1 for update of t`, [ref.id]);
  return row ? rowToCard(row) : null;
}
