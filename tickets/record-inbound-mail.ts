import crypto from 'node:crypto';
import type { Db, Sql } from './store/db.js';
import type { Client, InboundMail, Language, Ticket } from './types.js';
import { findClientBySender, getClient } from './store/client-repo.js';
import { findTicketByNumber, getTicket, insertTicket, transitionTicket } from './store/ticket-repo.js';
import { findByDedupeKey, findTicketIdByMessageIds, insertMessage } from './store/message-repo.js';
import { recordReceipt } from './store/receipt-repo.js';
import { recordAudit } from './store/audit-repo.js';

export interface RecordInboundOptions {
  /** Our own support addresses: mail from them is kept but never answered (no loops). */
  ownAddresses: string[];
  /** Right-hand side of the Message-IDs we generate. */
  messageIdDomain: string;
  defaultLanguage: Language;
  /** A client reply within this many days of resolution reopens the ticket. */
  reopenDays: number;
  now: Date;
}

export interface RecordInboundResult {
  ticket: Ticket;
  messageRowId: number;
  /** The mail was already stored earlier (same Message-ID or raw content). */
  duplicate: boolean;
  createdTicket: boolean;
  reopened: boolean;
  /** The acknowledgement queued for sending in the same transaction, if any. */
  ackRowId: number | null;
}

const TAG = /\[#(\d{1,12})\]/;

/**
 * Stores one inbound mail and threads it into a ticket, in one transaction: our subject tag
 * first, then In-Reply-To/References, else a new ticket. Idempotent per dedupe key, and it
 * records `source` so the mailbox copy is marked only after this commit.
 */
export async function recordInboundMail(
  db: Db, mail: InboundMail, source: { key: string; mailbox: string }, opts: RecordInboundOptions,
): Promise<RecordInboundResult> {
  return db.transaction(async (tx) => {
    // Serialises concurrent jobs for the same mail (same mail in two mailboxes, a redelivered job).
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [mail.dedupeKey]);
    const existing = await findByDedupeKey(tx, mail.dedupeKey);
    if (existing) {
      await recordReceipt(tx, { sourceKey: source.key, mailbox: source.mailbox, messageRowId: existing.id });
      const ticket = await getTicket(tx, existing.ticketId);
      return { ticket, messageRowId: existing.id, duplicate: true, createdTicket: false, reopened: false, ackRowId: null };
    }
    const sender = mail.from?.address.toLowerCase() ?? null;
    const client = sender ? await findClientBySender(tx, sender) : null;
    let ticket = await findThread(tx, mail, sender, client);
    const createdTicket = !ticket;
    ticket ??= await insertTicket(tx, {
      clientId: client?.id ?? null, requesterEmail: sender, requesterName: mail.from?.name ?? null,
      subject: mail.subject || (mail.unparsed ? '(unparsed message)' : '(no subject)'), unparsed: mail.unparsed,
    }, opts.now);
    const messageRowId = await insertMessage(tx, {
      ticketId: ticket.id, direction: 'in', kind: 'mail', dedupeKey: mail.dedupeKey, messageId: mail.messageId,
      inReplyTo: mail.inReplyTo, references: mail.references, fromAddress: sender, fromName: mail.from?.name ?? null,
      toAddresses: mail.to, ccAddresses: mail.cc, subject: mail.subject, bodyText: mail.text, bodyHtml: mail.html,
      attachments: mail.attachments, rawSha256: mail.rawSha256, autoKind: mail.autoKind, unparsed: mail.unparsed,
      parseError: mail.parseError, at: opts.now,
    });
    await recordReceipt(tx, { sourceKey: source.key, mailbox: source.mailbox, messageRowId });
    const actor = sender ? (`client:${sender}` as const) : 'system';
    await recordAudit(tx, {
      ticketId: ticket.id, actor, channel: 'mail', action: createdTicket ? 'created' : 'mail_received', at: opts.now,
      details: { messageRowId, autoKind: mail.autoKind, unparsed: mail.unparsed },
    });
    const answerable = !mail.autoKind && !mail.unparsed && sender !== null
      && !opts.ownAddresses.some((a) => a.toLowerCase() === sender);
    let reopened = false;
    if (!createdTicket && answerable && ticket.status === 'resolved' && ticket.resolvedAt
      && opts.now.getTime() - ticket.resolvedAt.getTime() <= opts.reopenDays * 86_400_000) {
      ticket = await transitionTicket(tx, ticket.id, { event: 'reopen', actor, channel: 'mail', at: opts.now, details: { messageRowId } });
      reopened = true;
    }
    const ackRowId = createdTicket && answerable
      ? await queueAck(tx, ticket, mail, sender, client ?? (ticket.clientId ? await getClient(tx, ticket.clientId) : null), opts)
      : null;
    return { ticket, messageRowId, duplicate: false, createdTicket, reopened, ackRowId };
  });
}

async function findThread(tx: Sql, mail: InboundMail, sender: string | null, client: Client | null): Promise<Ticket | null> {
  const tag = TAG.exec(mail.subject);
  if (tag) {
    const tagged = await findTicketByNumber(tx, Number(tag[1]));
    // A tag alone may not put mail into another company's ticket: the sender must belong to it.
    if (tagged && ((client && tagged.clientId === client.id) || (sender && tagged.requesterEmail === sender))) return tagged;
  }
  const refs = [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])];
  const ticketId = await findTicketIdByMessageIds(tx, refs);
  return ticketId ? getTicket(tx, ticketId) : null;
}

async function queueAck(
  tx: Sql, ticket: Ticket, mail: InboundMail, to: string, client: Client | null, opts: RecordInboundOptions,
): Promise<number> {
  const references = [...mail.references, ...(mail.messageId ? [mail.messageId] : [])];
  return insertMessage(tx, {
    ticketId: ticket.id, direction: 'out', kind: 'ack', sendState: 'pending',
    messageId: `${crypto.randomUUID()}@${opts.messageIdDomain}`, inReplyTo: mail.messageId, references,
    toAddresses: [to], subject: `[#${ticket.number}] ${ticket.subject}`,
    language: client?.language ?? opts.defaultLanguage, at: opts.now,
  });
}
