import type { InboundItem } from '../tickets/record-inbound-mails.js';
import type { InboundMail } from '../tickets/types.js';

/** Far more than a person reads in a ticket; a mail's text is cut here only when it could not be stored whole. */
const MAX_KEPT_TEXT = 64 * 1024;

/** What names a mail in a log line or a health report: mailbox, UID (or drop-folder file), Message-ID. */
export function describeMail(item: InboundItem): { mailbox: string; uid: string; source: string; messageId: string | null } {
  const key = item.source.key;
  return { mailbox: item.source.mailbox, uid: key.slice(key.lastIndexOf(':') + 1), source: key, messageId: item.mail.messageId };
}

/**
 * A mail the store refused, as "unparsed" with the error, in ever smaller forms to try in
 * turn: first without what most often breaks a commit (the Message-ID fields, which are
 * indexed, and an overlong text), keeping sender, subject, text and attachments; then with
 * nothing but where its raw source is. Both are deduplicated by the raw source's hash, so a
 * copy fetched again is recognised (see tickets/mail-copies.ts).
 */
export function keptAsUnparsed(mail: InboundMail, err: Error): InboundMail[] {
  const parseError = `not stored as parsed: ${err.message}`.slice(0, 1000);
  const dedupeKey = `sha256:${mail.rawSha256}`;
  const reduced: InboundMail = {
    ...mail, dedupeKey, messageId: null, inReplyTo: null, references: [], text: mail.text.slice(0, MAX_KEPT_TEXT),
    html: null, unparsed: true, parseError,
  };
  const bare: InboundMail = {
    dedupeKey, messageId: null, inReplyTo: null, references: [], from: null, to: [], cc: [], subject: '', text: '', html: null,
    attachments: [], rawSha256: mail.rawSha256, rawRef: mail.rawRef, autoKind: null, unparsed: true, parseError,
  };
  return [reduced, bare];
}

/**
 * An error that says nothing about the mail: the connection, a deadlock, a server short of
 * resources or shutting down (SQLSTATE classes 08, 40, 53, 57, 58, socket errors). Such
 * a mail is tried again later, never kept as unparsed for it.
 */
export function isTransientStoreError(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  // node-postgres reports a dropped connection without a code, only in words.
  const dropped = /connection (terminated|closed|ended)|timeout/i.test((err as Error | null)?.message ?? '');
  return /^(08|40|53|57|58)[0-9A-Z]{3}$/.test(code) || /^E[A-Z]+$/.test(code) || dropped;
}
