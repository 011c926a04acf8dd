import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  autoSubmitted: boolean;
}

/** The SMTP edge: one pooled nodemailer transport, our threading headers on every mail. */
export class SmtpSender {
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(`${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}pool=true`);
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
