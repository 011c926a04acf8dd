import nodemailer, { type Transporter } from 'nodemailer';
import { capSubject } from './cap-subject.js';
import { toSmtpError } from './smtp-errors.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  autoSubmitted: boolean;
  /** Files sent with the mail (the monthly report PDF). */
  attachments?: Array<{ filename: string; content: Buffer; contentType?: string }>;
}

/** What the relay did with a mail it took: recipients it refused while taking it for the others. */
export interface SendResult {
  rejected: string[];
}

/** What callers need of the sender; a stand-in that takes every mail may return nothing. */
export interface MailSender {
  send(m: OutgoingMail): Promise<SendResult | void>;
}

/**
 * The SMTP edge: one pooled nodemailer transport, our threading headers on every mail.
 * Failures come out typed (smtp-errors.ts): refused (this mail) or unreachable (every mail).
 */
export class SmtpSender implements MailSender {
  private readonly transport: Transporter;

  /** `ratePerSecond` paces sending, so a burst of acknowledgements does not starve ingest (or annoy the relay). */
  constructor(smtpUrl: string, private readonly from: string, ratePerSecond = 20) {
    const pool = `pool=true&maxConnections=2&rateDelta=1000&rateLimit=${ratePerSecond}`;
    this.transport = nodemailer.createTransport(`${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}${pool}`);
  }

  async send(m: OutgoingMail): Promise<SendResult> {
    const bracket = (id: string) => `<${id}>`;
    const info = await this.transport.sendMail({
      from: this.from,
      to: m.to,
      subject: capSubject(m.subject),
      text: m.text,
      messageId: bracket(m.messageId),
      inReplyTo: m.inReplyTo ? bracket(m.inReplyTo) : undefined,
      references: m.references.length ? m.references.map(bracket).join(' ') : undefined,
      attachments: m.attachments,
      headers: m.autoSubmitted
        // RFC 3834; the second asks Exchange not to answer our auto-reply with its own.
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
        : {},
    }).catch((err: unknown) => { throw toSmtpError(err, m.to); });
    return { rejected: ((info.rejected ?? []) as Array<string | { address: string }>).map((r) => (typeof r === 'string' ? r : r.address)) };
  }

  close(): void {
    this.transport.close();
  }
}
