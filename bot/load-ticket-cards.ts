import type { Sql } from '../tickets/store/db.js';
import { rowToTicket } from '../tickets/store/ticket-repo.js';
import type { Language, Ticket } from '../tickets/types.js';
import type { DispatchTicket } from './render-dispatch-message.js';

export interface TicketCard {
  ticket: Ticket;
  card: DispatchTicket;
  /** The client's language (mail to the client), or null for an unknown client. */
  clientLanguage: Language | null;
}

/** Tickets with what the bot shows about them: company, first mail's excerpt, attachment count. */
export async function loadTicketCards(sql: Sql, ticketIds: number[]): Promise<TicketCard[]> {
  if (ticketIds.length === 0) return [];
  const rows = await sql.query(
    `select t.*, c.company, c.language as client_language, m.body_text as first_text, m.sender_unknown, coalesce(jsonb_array_length(m.attachments), 0) as attachment_count
       from tickets t
       left join clients c on c.id = t.client_id
       left join lateral (select body_text, attachments, sender_unknown from messages where ticket_id = t.id and direction = 'in' order by id limit 1) m on true
      where t.id = any($1::bigint[])`, [ticketIds]);
  const byId = new Map(rows.map((r) => [r.id as number, r]));
  return ticketIds.filter((id) => byId.has(id)).map((id) => {
    const r = byId.get(id)!;
    const ticket = rowToTicket(r);
    return {
      ticket,
      clientLanguage: (r.client_language as Language | null) ?? null,
      card: {
        number: ticket.number, subject: ticket.subject, company: (r.company as string | null) ?? null,
        requesterName: ticket.requesterName, requesterEmail: ticket.requesterEmail,
        ...(r.sender_unknown ? { senderUnknown: true } : {}),
        excerpt: ((r.first_text as string | null) ?? '').slice(0, 400), attachments: Number(r.attachment_count),
      },
    };
  });
}

export async function loadTicketCard(sql: Sql, ticketId: number): Promise<TicketCard | null> {
  return (await loadTicketCards(sql, [ticketId]))[0] ?? null;
}
