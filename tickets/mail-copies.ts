import type { Sql } from './store/db.js';
import type { InboundMail } from './types.js';

export interface StoredCopy {
  id: number;
  ticketId: number;
}

/** A stored mail, or the index of one earlier in the batch being recorded. */
export type Copy = StoredCopy | number;

interface Known {
  copy: Copy;
  dedupeKey: string;
  messageId: string | null;
  rawSha256: string | null;
  contentSha256: string | null;
}

/**
 * The mails already stored (or earlier in this batch) that an incoming mail might repeat.
 * Broken mailers and tools reuse Message-IDs, so one Message-ID is the same message only
 * with the same content: the same raw source, or the same sender, Date, subject, text, HTML and attachments (a copy that
 * came by another route). Another mail under a used Message-ID is kept, under a dedupe key
 * of its own (Message-ID and raw hash), and threads like any other.
 */
export class MailCopies {
  private readonly byKey = new Map<string, Known>();
  private readonly byMessageId = new Map<string, Known[]>();

  static async load(tx: Sql, mails: InboundMail[]): Promise<MailCopies> {
    const ids = [...new Set(mails.map((m) => m.messageId).filter((x): x is string => !!x))];
    const rows = await tx.query<{ id: number; ticket_id: number; dedupe_key: string; message_id: string | null; raw_sha256: string | null; content_sha256: string | null }>(
      `select id, ticket_id, dedupe_key, message_id, raw_sha256, content_sha256 from messages
        where dedupe_key = any($1) or (direction = 'in' and message_id = any($2))`,
      [[...mails.map((m) => m.dedupeKey), ...mails.map((m) => `sha256:${m.rawSha256}`)], ids]);
    const copies = new MailCopies();
    for (const r of rows) {
      copies.remember({ copy: { id: r.id, ticketId: r.ticket_id }, dedupeKey: r.dedupe_key, messageId: r.message_id,
        rawSha256: r.raw_sha256, contentSha256: r.content_sha256 });
    }
    return copies;
  }

  /** The copy this mail repeats, if any, and the dedupe key to store it under if none. */
  match(mail: InboundMail): { duplicateOf: Copy | null; dedupeKey: string } {
    // Also a mail kept by its raw hash alone: one the store once refused (workers/uncommittable-mail.ts).
    const kept = this.byKey.get(mail.dedupeKey) ?? this.byKey.get(`sha256:${mail.rawSha256}`);
    if (!mail.messageId || kept?.dedupeKey.startsWith('sha256:')) {
      return { duplicateOf: kept?.copy ?? null, dedupeKey: kept?.dedupeKey ?? mail.dedupeKey };
    }
    const same = (this.byMessageId.get(mail.messageId) ?? []).find((k) => k.rawSha256 === mail.rawSha256
      || (!!mail.contentSha256 && k.contentSha256 === mail.contentSha256));
    if (same) return { duplicateOf: same.copy, dedupeKey: same.dedupeKey };
    const taken = this.byKey.has(mail.dedupeKey) || this.byMessageId.has(mail.messageId);
    return { duplicateOf: null, dedupeKey: taken ? `${mail.dedupeKey}#sha256:${mail.rawSha256}` : mail.dedupeKey };
  }

  /** A mail of this batch, to be stored under `dedupeKey`: later mails of the batch may repeat it. */
  add(mail: InboundMail, dedupeKey: string, copy: Copy): void {
    this.remember({ copy, dedupeKey, messageId: mail.messageId, rawSha256: mail.rawSha256, contentSha256: mail.contentSha256 ?? null });
  }

  private remember(k: Known): void {
    this.byKey.set(k.dedupeKey, k);
    if (k.messageId) this.byMessageId.set(k.messageId, [...(this.byMessageId.get(k.messageId) ?? []), k]);
  }
}
