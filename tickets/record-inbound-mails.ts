import crypto from 'node:crypto';
import type { Db, Sql } from './store/db.js';
import type { Client, InboundMail, Language, Ticket } from './types.js';
import { isValidMailAddress } from './mail-address.js';
import { rowToTicket, transitionTicket } from './store/ticket-repo.js';
import { lockThreads, planThreads, type ThreadPlan } from './thread-mail.js';
import { lookUpInbound, TAG, type Lookups } from './look-up-inbound-mails.js';
import { mergeTickets } from './merge-tickets.js';
import { detectMailLanguage } from './detect-mail-language.js';

export interface RecordInboundOptions {
  /** Our own support addresses: mail from them is kept but never answered (no loops). */
  ownAddresses: string[];
  /** Right-hand side of the Message-IDs we generate. */
  messageIdDomain: string;
  defaultLanguage: Language;
  /** A client reply within this many days of resolution reopens the ticket. */
  reopenDays: number;
  /**
   * Subject and text of a new ticket's acknowledgement, written with it: the panel and the
   * cabinet show it at once, and sending it (the same text) leaves its ticket as it is.
   */
  ackText(c: { ticketNumber: number; subject: string; language: Language }): { subject: string; text: string };
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
  /** Numbers of the tickets this mail's arrival joined into its ticket (replies that came before it). */
  merged: number[];
}

interface Plan {
  item: InboundItem;
  sender: string | null;
  client: Client | null;
  ticket: Ticket | null;
  duplicateOf: { id: number; ticketId: number } | null;
  messageRowId: number;
  ackRowId: number | null;
  createdTicket: boolean;
  merged: number[];
}

/**
 * Stores inbound mails and threads each into a ticket, all in one transaction and in a
 * fixed number of statements per batch (not per mail): our subject tag first, then
 * In-Reply-To/References (against stored mail and mail of the same batch, in both
 * directions: see tickets/thread-mail.ts), else a new ticket. Tickets opened by replies that
 * came before their original are merged into the original's. Idempotent per dedupe key;
 * records each copy's source for marking.
 */
export async function recordInboundMails(db: Db, items: InboundItem[], opts: RecordInboundOptions): Promise<RecordInboundResult[]> {
  if (items.length === 0) return [];
  return retryDeadlock(() => db.transaction(async (tx) => {
    const keys = [...new Set(items.map((i) => i.mail.dedupeKey))].sort();
    // Serialises concurrent batches holding the same mail; sorted, so two batches cannot deadlock.
    await tx.query('select count(pg_advisory_xact_lock(hashtext(k))) from (select unnest($1::text[]) as k order by 1) s', [keys]);
    // ... and batches holding two ends of one thread: the later one sees the earlier one's mail.
    await lockThreads(tx, items.map((i) => i.mail));
    const { lookups, decided } = await decideLocked(tx, items);
    const plans = await planAll(tx, decided, lookups, opts);
    await writeAll(tx, plans, opts);
    await retitleByAncestors(tx, plans, lookups);
    await mergeAll(tx, plans, decided.threads.merges, lookups, opts);
    await findPendingAcks(tx, plans);
    const results: RecordInboundResult[] = [];
    const reopenedTickets = new Map<number, Ticket>();
    for (const p of plans) results.push(await finish(tx, p, reopenedTickets, opts));
    return results;
  }));
}

/**
 * A slice that had to look again after a merge (decideLocked) may lock tickets out of order;
 * PostgreSQL then rolls one transaction back whole ("deadlock detected"), which is safe to run again.
 */
async function retryDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== '40P01') throw err;
    }
  }
}

interface Decided {
  items: Array<{ item: InboundItem; sender: string | null; client: Client | null; duplicateOf: { id: number; ticketId: number } | number | null }>;
  /** Indexes into items of the mails to store, in order; threads.targets follow it. */
  fresh: number[];
  threads: ThreadPlan;
}

/**
 * Decides every mail's thread, then locks the tickets it touches. A ticket merged by another
 * slice between our look-up and our lock means the look-up is stale: look again (the merge
 * has committed, so its mail is now found on the survivor).
 */
async function decideLocked(tx: Sql, items: InboundItem[]): Promise<{ lookups: Lookups; decided: Decided }> {
  for (let attempt = 1; ; attempt++) {
    const lookups = await lookUpInbound(tx, items.map((i) => i.mail));
    const decided = decide(items, lookups);
    const involved = [...new Set([
      ...decided.threads.targets.flatMap((t) => ('ticketId' in t ? [t.ticketId] : [])),
      ...decided.threads.merges.flatMap((m) => [m.absorbed, m.survivor]),
    ])];
    if (involved.length === 0) return { lookups, decided };
    const locked = (await tx.query('select * from tickets where id = any($1) order by id for update', [involved])).map(rowToTicket);
    if (locked.every((t) => t.mergedInto === null) || attempt >= 5) {
      for (const t of locked) lookups.tickets.set(t.id, t);
      return { lookups, decided };
    }
  }
}

function decide(items: InboundItem[], l: Lookups): Decided {
  const decided: Decided = { items: [], fresh: [], threads: { targets: [], merges: [] } };
  const tagged: Array<number | null> = [];
  for (const [index, given] of items.entries()) {
    // One Message-ID may name two different mails (see mail-copies.ts): the key says which.
    const { duplicateOf, dedupeKey } = l.copies.match(given.mail);
    const item = { ...given, mail: { ...given.mail, dedupeKey } };
    const { mail } = item;
    const sender = mail.from?.address.toLowerCase() ?? null;
    const client = sender ? l.clients.get(`@${sender}`) ?? l.clients.get(sender.slice(sender.lastIndexOf('@') + 1)) ?? null : null;
    decided.items.push({ item, sender, client, duplicateOf });
    if (duplicateOf !== null) continue;
    l.copies.add(mail, dedupeKey, index);
    decided.fresh.push(index);
    tagged.push(taggedTicket(mail, sender, client, l));
  }
  decided.threads = planThreads({
    mails: decided.fresh.map((i) => items[i].mail), tagged,
    ticketByMessageId: new Map([...l.ticketByMessageId].map(([id, t]) => [id, l.tickets.get(t)?.id ?? t])),
    earlyReplies: new Map([...l.earlyReplies].map(([id, ts]) => [id, new Set([...ts].map((t) => l.tickets.get(t)?.id ?? t))])),
    clientOf: (id) => l.tickets.get(id)?.clientId ?? null,
  });
  return decided;
}

/** The ticket our subject tag names, when the sender belongs to it (a tag alone may not put mail into another company's ticket). */
function taggedTicket(mail: InboundMail, sender: string | null, client: Client | null, l: Lookups): number | null {
  const tag = TAG.exec(mail.subject);
  const named = tag ? l.byNumber.get(Number(tag[1])) : undefined;
  if (!named || !((client && named.clientId === client.id) || (sender && named.requesterEmail === sender))) return null;
  return l.tickets.get(named.id)?.id ?? named.id;
}

/** Gives each mail its ticket (new ones numbered from the sequences up front) and its row ids. */
async function planAll(tx: Sql, d: Decided, l: Lookups, opts: RecordInboundOptions): Promise<Plan[]> {
  const opening = new Set(d.threads.targets.flatMap((t) => ('openedBy' in t ? [t.openedBy] : [])));
  const [ids] = await tx.query<{ t: number[]; n: number[]; m: number[] }>(
    `select array(select nextval('tickets_id_seq')::int from generate_series(1, $1)) as t,
            array(select nextval('ticket_number_seq')::int from generate_series(1, $1)) as n,
            array(select nextval('messages_id_seq')::int from generate_series(1, $2)) as m`,
    [opening.size, d.fresh.length * 2]);
  const freshAt = new Map(d.fresh.map((itemIndex, k) => [itemIndex, k]));
  // Opened first: a reply ahead of its original in the same slice joins the original's new ticket.
  const opened = new Map([...opening].sort((a, b) => a - b).map((k) => {
    const { item, sender, client } = d.items[d.fresh[k]];
    return [k, newTicket(ids.t.shift()!, ids.n.shift()!, item.mail, sender, client, opts.now)];
  }));
  const plans: Plan[] = [];
  for (const [index, { item, sender, client, duplicateOf }] of d.items.entries()) {
    if (duplicateOf !== null) {
      const of = typeof duplicateOf === 'number' ? { id: plans[duplicateOf].messageRowId, ticketId: plans[duplicateOf].ticket!.id } : duplicateOf;
      plans.push({ item, sender, client, ticket: l.tickets.get(of.ticketId) ?? null, duplicateOf: of,
        messageRowId: of.id, ackRowId: null, createdTicket: false, merged: [] });
      continue;
    }
    const k = freshAt.get(index)!;
    const target = d.threads.targets[k];
    const createdTicket = 'openedBy' in target && target.openedBy === k;
    const ticket = 'ticketId' in target ? l.tickets.get(target.ticketId)! : opened.get(target.openedBy)!;
    const messageRowId = ids.m.shift()!;
    const ackRowId = createdTicket && answerable(item.mail, sender, opts) ? ids.m.shift()! : null;
    plans.push({ item, sender, client, ticket, duplicateOf: null, messageRowId, ackRowId, createdTicket, merged: [] });
  }
  return plans;
}

/**
 * A ticket opened by a reply that came before its original ("Re: Maven 4.0.0") takes the
 * subject of each earlier mail of the thread as it arrives, so it ends titled as the thread
 * began. Only mail its opening message names (In-Reply-To or References) retitles it.
 */
async function retitleByAncestors(tx: Sql, plans: Plan[], l: Lookups): Promise<void> {
  for (const p of plans) {
    const { messageId, subject } = p.item.mail;
    if (p.duplicateOf || p.createdTicket || !p.ticket || !messageId || !l.earlyReplies.has(messageId)) continue;
    const [row] = await tx.query<{ subject: string }>(
      `update tickets t set subject = $2
        where t.id = $1 and exists (select 1 from messages m
          where m.id = (select min(id) from messages where ticket_id = t.id and direction = 'in')
            and (m.in_reply_to = $3 or $3 = any(m."references")))
        returning subject`, [p.ticket.id, subject, messageId]);
    if (row) p.ticket = { ...p.ticket, subject: row.subject };
  }
}

/** Joins the tickets opened by early replies into their thread's survivor (tickets/merge-tickets.ts). */
async function mergeAll(tx: Sql, plans: Plan[], merges: ThreadPlan['merges'], l: Lookups, opts: RecordInboundOptions): Promise<void> {
  for (const m of merges) {
    const absorbed = await mergeTickets(tx, m.absorbed, m.survivor, { actor: 'system', channel: 'mail', at: opts.now, details: { cause: 'thread' } });
    const survivor = l.tickets.get(m.survivor)!;
    l.tickets.set(m.survivor, { ...survivor, updatedAt: opts.now });
    plans.find((p) => !p.duplicateOf && p.ticket?.id === m.survivor)?.merged.push(absorbed.number);
  }
}

function newTicket(id: number, number: number, mail: InboundMail, sender: string | null, client: Client | null, now: Date): Ticket {
  return {
    id, number, status: 'new', clientId: client?.id ?? null, requesterEmail: sender, requesterName: mail.from?.name ?? null,
    subject: mail.subject || (mail.unparsed ? '(unparsed message)' : '(no subject)'), unparsed: mail.unparsed,
    departmentId: null, assigneeId: null, createdAt: now, updatedAt: now, assignedAt: null, acceptedAt: null,
    escalatedAt: null, closedAt: null, resolvedAt: null, reopenedAt: null, mergedInto: null,
  };
}

function answerable(mail: InboundMail, sender: string | null, opts: RecordInboundOptions): boolean {
  return !mail.autoKind && !mail.unparsed && !mail.senderUnknown && sender !== null && isValidMailAddress(sender)
    && !opts.ownAddresses.includes(sender);
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
  const rows = fresh.map((p) => {
    // Read once: the letters of a long mail are its costliest look in this transaction.
    const language = detectMailLanguage(p.item.mail);
    return { p, inbound: inboundRow(p, language), ack: p.ackRowId ? ackRow(p, opts, language) : null };
  });
  const messages = rows.flatMap((r) => (r.ack ? [r.inbound, r.ack] : [r.inbound]));
  // Each new ticket comes with the words of its mails of this slice (the one it is opened by,
  // its acknowledgement, any reply threaded into it): the mails' insert leaves the tickets it
  // is told of as written (migration 028), so a new ticket is written once.
  const created = rows.filter((r) => r.p.createdTicket).map((r) => ({
    ...r.p.ticket!, words: messages.filter((m) => m.ticketId === r.p.ticket!.id && m.bodyText).map((m) => m.bodyText).join(' '),
  }));
  if (created.length > 0) {
    await tx.query(
      `insert into tickets (id, number, status, client_id, requester_email, requester_name, subject, unparsed, created_at, updated_at, search)
       select (r->>'id')::bigint, (r->>'number')::bigint, 'new', (r->>'clientId')::bigint, r->>'requesterEmail', r->>'requesterName',
              r->>'subject', (r->>'unparsed')::boolean, $2, $2, strip(to_tsvector('simple', r->>'words'))
         from jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(created), opts.now]);
    await tx.query(`select set_config('modest.tickets_with_words', $1, true)`, [created.map((t) => t.id).join(',')]);
  }
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
  if (created.length > 0) await tx.query(`select set_config('modest.tickets_with_words', '', true)`);
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

function inboundRow(p: Plan, language: Language | null) {
  const m = p.item.mail;
  return {
    id: p.messageRowId, ticketId: p.ticket!.id, direction: 'in', kind: 'mail', dedupeKey: m.dedupeKey, messageId: m.messageId,
    inReplyTo: m.inReplyTo, references: m.references, fromAddress: p.sender, fromName: m.from?.name ?? null, to: m.to, cc: m.cc,
    subject: m.subject, bodyText: m.text, bodyHtml: m.html, attachments: m.attachments, rawSha256: m.rawSha256, rawRef: m.rawRef,
    autoKind: m.autoKind, unparsed: m.unparsed, parseError: m.parseError, senderUnknown: m.senderUnknown ?? false,
    contentSha256: m.contentSha256 ?? null, language,
    // The bot announces it: a new ticket to the dispatchers, client mail to the assignee.
    botPending: true,
  };
}

function ackRow(p: Plan, opts: RecordInboundOptions, language: Language | null) {
  const m = p.item.mail;
  // Answered in the language the client wrote in, when that is clear; else the client's setting.
  const lang = language ?? p.client?.language ?? opts.defaultLanguage;
  const { subject, text } = opts.ackText({ ticketNumber: p.ticket!.number, subject: p.ticket!.subject, language: lang });
  return {
    id: p.ackRowId, ticketId: p.ticket!.id, direction: 'out', kind: 'ack', sendState: 'pending',
    messageId: `${crypto.randomUUID()}@${opts.messageIdDomain}`, inReplyTo: m.messageId,
    references: [...m.references, ...(m.messageId ? [m.messageId] : [])], to: [p.sender], cc: [], subject, bodyText: text, language: lang,
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
  return {
    ticket, messageRowId: p.messageRowId, duplicate: !!p.duplicateOf, createdTicket: p.createdTicket, reopened, ackRowId: p.ackRowId,
    merged: p.merged,
  };
}
