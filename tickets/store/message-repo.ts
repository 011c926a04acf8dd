import type { Sql } from './db.js';
import type { AttachmentMeta, AutoKind, Language } from '../types.js';

export type Direction = 'in' | 'out' | 'note';
export type MessageKind = 'mail' | 'ack' | 'reply' | 'resolved' | 'note';

export interface NewMessage {
  ticketId: number;
  direction: Direction;
  kind: MessageKind;
  dedupeKey?: string | null;
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  fromAddress?: string | null;
  fromName?: string | null;
  toAddresses?: string[];
  ccAddresses?: string[];
  subject?: string | null;
  bodyText?: string | null;
  bodyHtml?: string | null;
  attachments?: AttachmentMeta[];
  rawSha256?: string | null;
  autoKind?: AutoKind | null;
  unparsed?: boolean;
  parseError?: string | null;
  language?: Language | null;
  authorEmployeeId?: number | null;
  sendState?: 'pending' | null;
  at: Date;
}

export interface StoredMessage extends Required<Omit<NewMessage, 'at' | 'sendState'>> {
  id: number;
  sendState: 'pending' | 'sent' | null;
  sentAt: Date | null;
  createdAt: Date;
}

export async function insertMessage(sql: Sql, m: NewMessage): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into messages (ticket_id, direction, kind, dedupe_key, message_id, in_reply_to, "references", from_address,
       from_name, to_addresses, cc_addresses, subject, body_text, body_html, attachments, raw_sha256, auto_kind, unparsed,
       parse_error, language, author_employee_id, send_state, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     returning id`,
    [m.ticketId, m.direction, m.kind, m.dedupeKey ?? null, m.messageId ?? null, m.inReplyTo ?? null, m.references ?? [],
      m.fromAddress ?? null, m.fromName ?? null, m.toAddresses ?? [], m.ccAddresses ?? [], m.subject ?? null,
      m.bodyText ?? null, m.bodyHtml ?? null, JSON.stringify(m.attachments ?? []), m.rawSha256 ?? null, m.autoKind ?? null,
      m.unparsed ?? false, m.parseError ?? null, m.language ?? null, m.authorEmployeeId ?? null, m.sendState ?? null, m.at],
  );
  return row.id;
}

function rowToMessage(r: Record<string, unknown>): StoredMessage {
  return {
    id: r.id as number, ticketId: r.ticket_id as number, direction: r.direction as Direction, kind: r.kind as MessageKind,
    dedupeKey: r.dedupe_key as string | null, messageId: r.message_id as string | null,
    inReplyTo: r.in_reply_to as string | null, references: r.references as string[],
    fromAddress: r.from_address as string | null, fromName: r.from_name as string | null,
    toAddresses: r.to_addresses as string[], ccAddresses: r.cc_addresses as string[], subject: r.subject as string | null,
    bodyText: r.body_text as string | null, bodyHtml: r.body_html as string | null,
    attachments: r.attachments as AttachmentMeta[], rawSha256: r.raw_sha256 as string | null,
    autoKind: r.auto_kind as AutoKind | null, unparsed: r.unparsed as boolean, parseError: r.parse_error as string | null,
    language: r.language as Language | null, authorEmployeeId: r.author_employee_id as number | null,
    sendState: r.send_state as StoredMessage['sendState'], sentAt: r.sent_at as Date | null, createdAt: r.created_at as Date,
  };
}

export async function getMessage(sql: Sql, id: number, opts: { forUpdate?: boolean } = {}): Promise<StoredMessage | null> {
  const [row] = await sql.query(`select * from messages where id = $1${opts.forUpdate ? ' for update' : ''}`, [id]);
  return row ? rowToMessage(row) : null;
}

export async function listMessages(sql: Sql, ticketId: number): Promise<StoredMessage[]> {
  return (await sql.query('select * from messages where ticket_id = $1 order by id', [ticketId])).map(rowToMessage);
}

export async function findByDedupeKey(sql: Sql, key: string): Promise<{ id: number; ticketId: number } | null> {
  const [row] = await sql.query<{ id: number; ticket_id: number }>('select id, ticket_id from messages where dedupe_key = $1', [key]);
  return row ? { id: row.id, ticketId: row.ticket_id } : null;
}

/** The ticket a mail answers: the newest of our stored messages (in or out) it references. */
export async function findTicketIdByMessageIds(sql: Sql, ids: string[]): Promise<number | null> {
  if (ids.length === 0) return null;
  const [row] = await sql.query<{ ticket_id: number }>(
    'select ticket_id from messages where message_id = any($1) order by id desc limit 1', [ids]);
  return row?.ticket_id ?? null;
}

/**
 * Claims a pending outgoing mail for `claimant` (a send job): only one sender gets it. The
 * same job run again after a crash takes its claim back; anyone else only a stale one.
 * Null when the mail is sent already or someone else is on it.
 */
export async function claimOutbound(sql: Sql, id: number, claimant: string, now: Date, staleMs = 5 * 60_000): Promise<StoredMessage | null> {
  const [row] = await sql.query(
    `update messages set send_claimed_by = $2, send_claimed_at = $3
      where id = $1 and send_state = 'pending'
        and (send_claimed_by is null or send_claimed_by = $2 or send_claimed_at < $4) returning *`,
    [id, claimant, now, new Date(now.getTime() - staleMs)]);
  return row ? rowToMessage(row) : null;
}

export async function releaseOutbound(sql: Sql, id: number): Promise<void> {
  await sql.query(`update messages set send_claimed_by = null, send_claimed_at = null where id = $1 and send_state = 'pending'`, [id]);
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
