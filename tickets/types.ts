import type { TicketStatus } from './ticket-status.js';

export type Language = 'ru' | 'en';

/** Who did something, for the audit trail. */
export type Actor = `client:${string}` | `employee:${number}` | 'system';
export type Channel = 'mail' | 'bot' | 'web' | 'system';

export interface Ticket {
  id: number;
  number: number;
  status: TicketStatus;
  clientId: number | null;
  requesterEmail: string | null;
  requesterName: string | null;
  subject: string;
  unparsed: boolean;
  departmentId: number | null;
  assigneeId: number | null;
  createdAt: Date;
  updatedAt: Date;
  assignedAt: Date | null;
  acceptedAt: Date | null;
  escalatedAt: Date | null;
  closedAt: Date | null;
  resolvedAt: Date | null;
  reopenedAt: Date | null;
  /** Set when status is 'merged': the ticket of the same thread that took this one's mail. */
  mergedInto: number | null;
}

export interface Client {
  id: number;
  company: string;
  language: Language;
}

export interface AttachmentMeta {
  filename: string;
  contentType: string;
  size: number;
  /** Content address under the data folder; null when not stored (see skipped). */
  sha256: string | null;
  skipped?: 'too_large';
}

/**
 * Why a mail must never be answered automatically: a delivery report, an auto-reply, list or
 * bulk mail, an automatic report (DMARC, abuse feedback), or a sender that reads no answers.
 */
export type AutoKind = 'auto_reply' | 'bounce' | 'bulk' | 'report' | 'no_reply';

/** An incoming mail as the mail connector hands it to the domain. */
export interface InboundMail {
  /** Message-ID, or `sha256:<hash of the raw source>` when it has none. */
  dedupeKey: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: { address: string; name: string | null } | null;
  /**
   * From did not name one usable address; `from` is then the best of Sender, Reply-To,
   * Return-Path, if any. Such a mail is marked "unknown sender" and never acknowledged.
   * Absent in jobs queued before it existed: known.
   */
  senderUnknown?: boolean;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** Already sanitized. */
  html: string | null;
  attachments: AttachmentMeta[];
  rawSha256: string;
  /**
   * sha256 of sender, Date header, subject, text, HTML and attachments: the same message delivered
   * again by another route (other Received lines) has another raw hash but this one. Null
   * without a Date.
   */
  contentSha256?: string | null;
  /** Where the raw source is kept (connectors/mail/raw-archive.ts). */
  rawRef: string | null;
  autoKind: AutoKind | null;
  unparsed: boolean;
  parseError: string | null;
}
