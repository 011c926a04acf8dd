import nodemailer, { type Transporter } from 'nodemailer';

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

/** The SMTP edge: one pooled nodemailer transport, our threading headers on every mail. */
export class SmtpSender {
  private readonly transport: Transporter;

  /** `ratePerSecond` paces sending, so a burst of acknowledgements does not starve ingest (or annoy the relay). */
  constructor(smtpUrl: string, private readonly from: string, ratePerSecond = 20) {
    const pool = `pool=true&maxConnections=2&rateDelta=1000&rateLimit=${ratePerSecond}`;
    this.transport = nodemailer.createTransport(`${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}${pool}`);
  }

  async send(m: OutgoingMail): Promise<void> {
    const bracket = (id: string) => `<${id}>`;
    await this.transport.sendMail({
      from: this.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      messageId: bracket(m.messageId),
      inReplyTo: m.inReplyTo ? bracket(m.inReplyTo) : undefined,
      references: m.references.length ? m.references.map(bracket).join(' ') : undefined,
      attachments: m.attachments,
      headers: m.autoSubmitted
        // RFC 3834; the second asks Exchange not to answer our auto-reply with its own.
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
        : {},
    });
  }

  close(): void {
    this.transport.close();
  }
}
