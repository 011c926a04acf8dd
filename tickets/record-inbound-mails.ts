import crypto from 'node:crypto';
import type { Db, Sql } from './store/db.js';
import type { Client, InboundMail, Language, Ticket } from './types.js';
import { rowToTicket, transitionTicket } from './store/ticket-repo.js';
import { MailCopies } from './mail-copies.js';

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

export interface InboundItem {
  mail: InboundMail;
  /** Where this copy came from, so the mailbox copy is marked only after the commit. */
  source: { key: string; mailbox: string };
}

export interface RecordInboundResult {
  ticket: Ticket;
  messageRowId: number;
  /** The mail was already stored (same Message-ID or raw content), earlier or in this batch. */
  duplicate: boolean;
  createdTicket: boolean;
  reopened: boolean;
  /**
   * The acknowledgement committed with it and not sent yet, if any; also for a duplicate, so
   * a job run again after a crash between commit and queueing still gets the ack queued.
   */
  ackRowId: number | null;
}

const TAG = /\[#(\d{1,12})\]/;

interface Plan {
  item: InboundItem;
  sender: string | null;
  client: Client | null;
  ticket: Ticket | null;
  duplicateOf: { id: number; ticketId: number } | null;
  messageRowId: number;
  ackRowId: number | null;
  createdTicket: boolean;
}

/**
 * Stores inbound mails and threads each into a ticket, all in one transaction and in a
 * fixed number of statements per batch (not per mail): our subject tag first, then
 * In-Reply-To/References (against stored mail and earlier mail of the same batch), else a
 * new ticket. Idempotent per dedupe key; records each copy's source for marking.
 */
export async function recordInboundMails(db: Db, items: InboundItem[], opts: RecordInboundOptions): Promise<RecordInboundResult[]> {
  if (items.length === 0) return [];
  return db.transaction(async (tx) => {
    const keys = [...new Set(items.map((i) => i.mail.dedupeKey))].sort();
    // Serialises concurrent batches holding the same mail; sorted, so two batches cannot deadlock.
    await tx.query('select count(pg_advisory_xact_lock(hashtext(k))) from (select unnest($1::text[]) as k order by 1) s', [keys]);
    const lookups = await lookUp(tx, items);
    const plans = await planAll(tx, items, lookups, opts);
    await writeAll(tx, plans, opts);
    await findPendingAcks(tx, plans);
    const results: RecordInboundResult[] = [];
    const reopenedTickets = new Map<number, Ticket>();
    for (const p of plans) results.push(await finish(tx, p, reopenedTickets, opts));
    return results;
  });
}

interface Lookups {
  copies: MailCopies;
  clients: Map<string, Client>;
  tickets: Map<number, Ticket>;
  ticketByMessageId: Map<string, number>;
}

async function lookUp(tx: Sql, items: InboundItem[]): Promise<Lookups> {
  const mails = items.map((i) => i.mail);
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
  // Most slices are new requests: no tag, nothing referenced, nothing to look up.
  const ticketRows = tags.length === 0 && ticketByMessageId.size === 0 ? []
    : await tx.query('select * from tickets where number = any($1) or id = any($2)', [tags, [...ticketByMessageId.values()]]);
  return {
    copies,
    clients: new Map(clients.map((c) => [c.exact ? `@${c.key}` : c.key, { id: c.id, company: c.company, language: c.language }])),
    tickets: new Map(ticketRows.map((r) => { const t = rowToTicket(r); return [t.id, t]; })),
    ticketByMessageId,
  };
}

/** Decides, in mail order, each mail's ticket; ids come from the sequences up front. */
async function planAll(tx: Sql, items: InboundItem[], l: Lookups, opts: RecordInboundOptions): Promise<Plan[]> {
  const [ids] = await tx.query<{ t: number[]; n: number[]; m: number[] }>(
    `select array(select nextval('tickets_id_seq')::int from generate_series(1, $1)) as t,
            array(select nextval('ticket_number_seq')::int from generate_series(1, $1)) as n,
            array(select nextval('messages_id_seq')::int from generate_series(1, $2)) as m`,
    [items.length, items.length * 2]);
  const byNumber = new Map([...l.tickets.values()].map((t) => [t.number, t]));
  const plans: Plan[] = [];
  for (const given of items) {
    // One Message-ID may name two different mails (see mail-copies.ts): the key says which.
    const { duplicateOf, dedupeKey } = l.copies.match(given.mail);
    const item = { ...given, mail: { ...given.mail, dedupeKey } };
    const { mail } = item;
    const sender = mail.from?.address.toLowerCase() ?? null;
    const client = sender ? l.clients.get(`@${sender}`) ?? l.clients.get(sender.slice(sender.lastIndexOf('@') + 1)) ?? null : null;
    if (duplicateOf) {
      plans.push({ item, sender, client, ticket: l.tickets.get(duplicateOf.ticketId) ?? null, duplicateOf,
        messageRowId: duplicateOf.id, ackRowId: null, createdTicket: false });
      continue;
    }
    let ticket = findThread(mail, sender, client, byNumber, l);
    const createdTicket = !ticket;
    ticket ??= newTicket(ids.t.shift()!, ids.n.shift()!, mail, sender, client, opts.now);
    l.tickets.set(ticket.id, ticket);
    const messageRowId = ids.m.shift()!;
    if (mail.messageId) l.ticketByMessageId.set(mail.messageId, ticket.id);
    l.copies.add(mail, dedupeKey, { id: messageRowId, ticketId: ticket.id });
    const ackRowId = createdTicket && answerable(mail, sender, opts) ? ids.m.shift()! : null;
    plans.push({ item, sender, client, ticket, duplicateOf: null, messageRowId, ackRowId, createdTicket });
  }
  return plans;
}

function findThread(mail: InboundMail, sender: string | null, client: Client | null, byNumber: Map<number, Ticket>, l: Lookups): Ticket | null {
  const tag = TAG.exec(mail.subject);
  const tagged = tag ? byNumber.get(Number(tag[1])) : undefined;
  // A tag alone may not put mail into another company's ticket: the sender must belong to it.
  if (tagged && ((client && tagged.clientId === client.id) || (sender && tagged.requesterEmail === sender))) return tagged;
  const refs = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()];
  for (const ref of refs) {
    const id = l.ticketByMessageId.get(ref);
    if (id !== undefined && l.tickets.has(id)) return l.tickets.get(id)!;
  }
  return null;
}

function newTicket(id: number, number: number, mail: InboundMail, sender: string | null, client: Client | null, now: Date): Ticket {
  return {
    id, number, status: 'new', clientId: client?.id ?? null, requesterEmail: sender, requesterName: mail.from?.name ?? null,
    subject: mail.subject || (mail.unparsed ? '(unparsed message)' : '(no subject)'), unparsed: mail.unparsed,
    departmentId: null, assigneeId: null, createdAt: now, updatedAt: now, assignedAt: null, acceptedAt: null,
    escalatedAt: null, closedAt: null, resolvedAt: null, reopenedAt: null,
  };
}

function answerable(mail: InboundMail, sender: string | null, opts: RecordInboundOptions): boolean {
  return !mail.autoKind && !mail.unparsed && !mail.senderUnknown && sender !== null && !opts.ownAddresses.includes(sender);
}

async function findPendingAcks(tx: Sql, plans: Plan[]): Promise<void> {
  const dups = plans.filter((p) => p.duplicateOf && p.item.mail.messageId);
  if (dups.length === 0) return;
  const rows = await tx.query<{ id: number; in_reply_to: string }>(
    `select id, in_reply_to from messages where direction = 'out' and kind = 'ack' and send_state = 'pending' and in_reply_to = any($1)`,
    [dups.map((p) => p.item.mail.messageId)]);
  const byMail = new Map(rows.map((r) => [r.in_reply_to, r.id]));
  for (const p of dups) p.ackRowId = byMail.get(p.item.mail.messageId!) ?? null;
}

/** Writes the batch: new tickets, messages, receipts, audit entries and acknowledgements. */
async function writeAll(tx: Sql, plans: Plan[], opts: RecordInboundOptions): Promise<void> {
  const fresh = plans.filter((p) => !p.duplicateOf);
  const created = fresh.filter((p) => p.createdTicket).map((p) => p.ticket!);
  if (created.length > 0) {
    await tx.query(
      `insert into tickets (id, number, status, client_id, requester_email, requester_name, subject, unparsed, created_at, updated_at)
       select (r->>'id')::bigint, (r->>'number')::bigint, 'new', (r->>'clientId')::bigint, r->>'requesterEmail', r->>'requesterName',
              r->>'subject', (r->>'unparsed')::boolean, $2, $2
         from jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(created), opts.now]);
  }
  const messages = fresh.flatMap((p) => [inboundRow(p), ...(p.ackRowId ? [ackRow(p, opts)] : [])]);
  if (messages.length > 0) {
    const arr = (k: string) => `array(select jsonb_array_elements_text(r->'${k}'))`;
    await tx.query(
      `insert into messages (id, ticket_id, direction, kind, dedupe_key, message_id, in_reply_to, "references", from_address, from_name,
         to_addresses, cc_addresses, subject, body_text, body_html, attachments, raw_sha256, raw_ref, auto_kind, unparsed, parse_error,
         language, send_state, bot_pending, sender_unknown, content_sha256, created_at)
       select (r->>'id')::bigint, (r->>'ticketId')::bigint, r->>'direction', r->>'kind', r->>'dedupeKey', r->>'messageId',
              r->>'inReplyTo', ${arr('references')}, r->>'fromAddress', r->>'fromName', ${arr('to')}, ${arr('cc')}, r->>'subject',
              r->>'bodyText', r->>'bodyHtml', coalesce(r->'attachments', '[]'::jsonb), r->>'rawSha256', r->>'rawRef', r->>'autoKind',
              coalesce((r->>'unparsed')::boolean, false), r->>'parseError', r->>'language', r->>'sendState',
              coalesce((r->>'botPending')::boolean, false), coalesce((r->>'senderUnknown')::boolean, false), r->>'contentSha256', $2
         from jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(messages), opts.now]);
  }
  await tx.query(
    `insert into mail_receipts (source_key, mailbox, message_row_id)
     select r->>'key', r->>'mailbox', (r->>'messageRowId')::bigint from jsonb_array_elements($1::jsonb) r
     on conflict (source_key) do nothing`,
    [JSON.stringify(plans.map((p) => ({ ...p.item.source, messageRowId: p.messageRowId })))]);
  if (fresh.length > 0) {
    await tx.query(
      `insert into audit_log (ticket_id, actor, action, channel, details, created_at)
       select (r->>'ticketId')::bigint, r->>'actor', r->>'action', 'mail', r->'details', $2 from jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(fresh.map((p) => ({
        ticketId: p.ticket!.id, actor: p.sender ? `client:${p.sender}` : 'system', action: p.createdTicket ? 'created' : 'mail_received',
        details: { messageRowId: p.messageRowId, autoKind: p.item.mail.autoKind, unparsed: p.item.mail.unparsed },
      }))), opts.now]);
  }
}

function inboundRow(p: Plan) {
  const m = p.item.mail;
  return {
    id: p.messageRowId, ticketId: p.ticket!.id, direction: 'in', kind: 'mail', dedupeKey: m.dedupeKey, messageId: m.messageId,
    inReplyTo: m.inReplyTo, references: m.references, fromAddress: p.sender, fromName: m.from?.name ?? null, to: m.to, cc: m.cc,
    subject: m.subject, bodyText: m.text, bodyHtml: m.html, attachments: m.attachments, rawSha256: m.rawSha256, rawRef: m.rawRef,
    autoKind: m.autoKind, unparsed: m.unparsed, parseError: m.parseError, senderUnknown: m.senderUnknown ?? false,
    contentSha256: m.contentSha256 ?? null,
    // The bot announces it: a new ticket to the dispatchers, client mail to the assignee.
    botPending: true,
  };
}

function ackRow(p: Plan, opts: RecordInboundOptions) {
  const m = p.item.mail;
  return {
    id: p.ackRowId, ticketId: p.ticket!.id, direction: 'out', kind: 'ack', sendState: 'pending',
    messageId: `${crypto.randomUUID()}@${opts.messageIdDomain}`, inReplyTo: m.messageId,
    references: [...m.references, ...(m.messageId ? [m.messageId] : [])], to: [p.sender], cc: [],
    subject: `[#${p.ticket!.number}] ${p.ticket!.subject}`, language: p.client?.language ?? opts.defaultLanguage,
  };
}

/** Reopens a resolved ticket a client answered in time; shapes the result. */
async function finish(tx: Sql, p: Plan, reopenedTickets: Map<number, Ticket>, opts: RecordInboundOptions): Promise<RecordInboundResult> {
  let ticket = p.ticket ?? (await tx.query('select * from tickets where id = $1', [p.duplicateOf!.ticketId])).map(rowToTicket)[0];
  ticket = reopenedTickets.get(ticket.id) ?? ticket;
  let reopened = false;
  if (!p.duplicateOf && !p.createdTicket && answerable(p.item.mail, p.sender, opts) && ticket.status === 'resolved'
    && ticket.resolvedAt && opts.now.getTime() - ticket.resolvedAt.getTime() <= opts.reopenDays * 86_400_000) {
    ticket = await transitionTicket(tx, ticket.id, {
      event: 'reopen', actor: `client:${p.sender}`, channel: 'mail', at: opts.now, details: { messageRowId: p.messageRowId } });
    reopenedTickets.set(ticket.id, ticket);
    reopened = true;
  }
  return { ticket, messageRowId: p.messageRowId, duplicate: !!p.duplicateOf, createdTicket: p.createdTicket, reopened, ackRowId: p.ackRowId };
}
