import crypto from 'node:crypto';
import type { Sql } from './db.js';
import type { AttachmentMeta, AutoKind, Language } from '../types.js';

export type Direction = 'in' | 'out' | 'note';
export type MessageKind = 'mail' | 'ack' | 'reply' | 'resolved' | 'note';

export interface StoredMessage {
  id: number;
  ticketId: number;
  direction: Direction;
  kind: MessageKind;
  dedupeKey: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string | null;
  fromName: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  attachments: AttachmentMeta[];
  rawSha256: string | null;
  /** Where an incoming mail's raw source is kept (connectors/mail/raw-archive.ts). */
  rawRef: string | null;
  autoKind: AutoKind | null;
  unparsed: boolean;
  parseError: string | null;
  language: Language | null;
  authorEmployeeId: number | null;
  /** `failed`: refused for good; `suppressed`: held back by us (see delivery-repo.ts). Neither is retried. */
  sendState: 'pending' | 'sent' | 'failed' | 'suppressed' | null;
  sendError: string | null;
  sentAt: Date | null;
  /** Handed to SMTP at this time with no outcome recorded yet (see markSendAttempt). */
  sendAttemptedAt: Date | null;
  createdAt: Date;
}

function rowToMessage(r: Record<string, unknown>): StoredMessage {
  return {
    id: r.id as number, ticketId: r.ticket_id as number, direction: r.direction as Direction, kind: r.kind as MessageKind,
    dedupeKey: r.dedupe_key as string | null, messageId: r.message_id as string | null,
    inReplyTo: r.in_reply_to as string | null, references: r.references as string[],
    fromAddress: r.from_address as string | null, fromName: r.from_name as string | null,
    toAddresses: r.to_addresses as string[], ccAddresses: r.cc_addresses as string[], subject: r.subject as string | null,
    bodyText: r.body_text as string | null, bodyHtml: r.body_html as string | null,
    attachments: r.attachments as AttachmentMeta[], rawSha256: r.raw_sha256 as string | null, rawRef: r.raw_ref as string | null,
    autoKind: r.auto_kind as AutoKind | null, unparsed: r.unparsed as boolean, parseError: r.parse_error as string | null,
    language: r.language as Language | null, authorEmployeeId: r.author_employee_id as number | null,
    sendState: r.send_state as StoredMessage['sendState'], sendError: (r.send_error as string | null) ?? null, sentAt: r.sent_at as Date | null,
    sendAttemptedAt: (r.send_attempted_at as Date | null) ?? null, createdAt: r.created_at as Date,
  };
}

export async function listMessages(sql: Sql, ticketId: number): Promise<StoredMessage[]> {
  return (await sql.query('select * from messages where ticket_id = $1 order by id', [ticketId])).map(rowToMessage);
}

/** A claimed outgoing mail with what its sender reads of its ticket, fetched in the claim's statement. */
export interface ClaimedOutbound {
  msg: StoredMessage;
  ticket: { number: number; subject: string };
  /** The ticket was opened by automatic mail (a bounce, an auto-reply...): its requester is a machine. */
  openedByAutomaticMail: boolean;
}

/**
 * Claims pending outgoing mails for `claimant` (a send job): only one sender gets each. The
 * same job run again after a crash takes its claims back; anyone else only stale ones. Mails
 * sent already or claimed by someone else are left out. One round trip for a job's mails,
 * with what their sender reads of their tickets, in id order.
 */
export async function claimOutbound(sql: Sql, ids: number[], claimant: string, now: Date, staleMs = 5 * 60_000): Promise<ClaimedOutbound[]> {
  const rows = await sql.query(
    `with claimed as (
       update messages set send_claimed_by = $2, send_claimed_at = $3
        where id = any($1::bigint[]) and send_state = 'pending'
          and (send_claimed_by is null or send_claimed_by = $2 or send_claimed_at < $4) returning *)
     select c.*, t.number as claimed_ticket_number, t.subject as claimed_ticket_subject,
            coalesce((select m.auto_kind from messages m where m.ticket_id = c.ticket_id and m.direction = 'in' order by m.id limit 1), '') <> ''
              as claimed_opened_by_automatic
       from claimed c join tickets t on t.id = c.ticket_id order by c.id`,
    [ids, claimant, now, new Date(now.getTime() - staleMs)]);
  return rows.map((row) => ({
    msg: rowToMessage(row), ticket: { number: row.claimed_ticket_number as number, subject: row.claimed_ticket_subject as string },
    openedByAutomaticMail: row.claimed_opened_by_automatic as boolean,
  }));
}

/**
 * Whether any of these outgoing mails is a pending acknowledgement of a mail that named mail we
 * did not have (an early reply): the original may still arrive, absorb its ticket and cancel it.
 */
export async function anyEarlyReplyAck(sql: Sql, ids: number[]): Promise<boolean> {
  const [row] = await sql.query(
    `select 1 from messages m join messages i on i.ticket_id = m.ticket_id and i.direction = 'in' and i.message_id = m.in_reply_to
      where m.id = any($1::bigint[]) and m.kind = 'ack' and m.send_state = 'pending'
        and (i.in_reply_to is not null or cardinality(i."references") > 0) limit 1`, [ids]);
  return row !== undefined;
}

export async function releaseOutbound(sql: Sql, ids: number[]): Promise<void> {
  await sql.query(`update messages set send_claimed_by = null, send_claimed_at = null where id = any($1::bigint[]) and send_state = 'pending'`, [ids]);
}

/**
 * Recorded (committed) just before a mail is handed to SMTP: from here until "sent" is
 * recorded, the outcome is unknown to anyone who finds the mail still pending.
 */
export async function markSendAttempt(sql: Sql, id: number, at: Date): Promise<void> {
  await sql.query(`update messages set send_attempted_at = $2 where id = $1 and send_state = 'pending'`, [id, at]);
}

/** The relay answered that it did not take the mail: its outcome is known again. */
export async function clearSendAttempt(sql: Sql, id: number): Promise<void> {
  await sql.query(`update messages set send_attempted_at = null where id = $1`, [id]);
}

export async function markMessageSent(sql: Sql, id: number, rendered: { subject: string; bodyText: string }, at: Date): Promise<void> {
  await sql.query(
    `update messages set send_state = 'sent', sent_at = $2, subject = $3, body_text = $4 where id = $1`,
    [id, at, rendered.subject, rendered.bodyText]);
}

/** Outgoing mail committed but not sent yet, oldest first (the outbox sweep re-queues these). */
export async function listPendingOutbound(sql: Sql, olderThan: Date, limit = 500): Promise<number[]> {
  const rows = await sql.query<{ id: number }>(
    `select id from messages where send_state = 'pending' and created_at < $1 order by id limit $2`, [olderThan, limit]);
  return rows.map((r) => r.id);
}

export interface NewOutboundMail {
  ticketId: number;
  kind: 'reply' | 'resolved';
  to: string[];
  bodyText: string;
  language: Language;
  authorEmployeeId: number | null;
  messageIdDomain: string;
  at: Date;
  attachments?: AttachmentMeta[];
}

/** References kept: the thread's root and the latest ones (RFC 5322 §3.6.4 lets the middle go). */
const MAX_REFERENCES = 50;

/**
 * The References of a mail answering `parent`: the parent's own chain, then every other mail
 * of the ticket we know (ours too: the acknowledgement, earlier replies) in order, and the
 * parent last, so every mail program threads it with the whole conversation.
 */
function threadChain(parent: { message_id: string; references: string[] }, ticketIds: string[]): string[] {
  const chain = [...new Set([...parent.references, ...ticketIds.filter((id) => id !== parent.message_id), parent.message_id])];
  return chain.length > MAX_REFERENCES ? [chain[0], ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
}

/**
 * Queues a mail to the client in the ticket's thread: In-Reply-To the client's latest mail
 * (else our latest), References the thread's whole chain (threadChain).
 */
export async function insertOutboundMail(sql: Sql, m: NewOutboundMail): Promise<number> {
  const thread = await sql.query<{ message_id: string; references: string[]; direction: Direction }>(
    `select message_id, "references", direction from messages where ticket_id = $1 and message_id is not null order by id`, [m.ticketId]);
  const last = thread.filter((r) => r.direction === 'in').at(-1) ?? thread.at(-1);
  const [row] = await sql.query<{ id: number }>(
    `insert into messages (ticket_id, direction, kind, message_id, in_reply_to, "references", to_addresses, body_text, attachments,
       language, author_employee_id, send_state, created_at)
     values ($1, 'out', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11) returning id`,
    [m.ticketId, m.kind, `${crypto.randomUUID()}@${m.messageIdDomain}`, last?.message_id ?? null,
      last ? threadChain(last, thread.map((r) => r.message_id)) : [], m.to, m.bodyText, JSON.stringify(m.attachments ?? []), m.language,
      m.authorEmployeeId, m.at]);
  return row.id;
}

/**
 * The language of the client's latest mail on the ticket that says clearly which it is (see
 * detect-mail-language.ts), or null: mail we write answers in it.
 */
export async function clientMailLanguage(sql: Sql, ticketId: number): Promise<Language | null> {
  const [row] = await sql.query<{ language: Language }>(
    `select language from messages where ticket_id = $1 and direction = 'in' and language is not null and auto_kind is null
      order by id desc limit 1`, [ticketId]);
  return row?.language ?? null;
}

/** A note on the ticket that the client never sees (e.g. a developer's comment). */
export async function insertNote(sql: Sql, n: { ticketId: number; text: string; authorEmployeeId: number | null; at: Date }): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into messages (ticket_id, direction, kind, body_text, author_employee_id, created_at) values ($1, 'note', 'note', $2, $3, $4) returning id`,
    [n.ticketId, n.text, n.authorEmployeeId, n.at]);
  return row.id;
}

export async function insertTimeEntry(sql: Sql, t: { ticketId: number; employeeId: number; minutes: number; billable: boolean; at: Date }): Promise<void> {
  await sql.query('insert into time_entries (ticket_id, employee_id, minutes, billable, created_at) values ($1, $2, $3, $4, $5)',
    [t.ticketId, t.employeeId, t.minutes, t.billable, t.at]);
}
