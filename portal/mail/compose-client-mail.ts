import MailComposer from 'nodemailer/lib/mail-composer';
import type { UploadedFile } from '../api-schemas.js';
import type { z } from 'zod';

export interface ClientMail {
  from: { name: string; address: string };
  /** Our support address: the mail is to us, as the person's own mail client would send it. */
  to: string;
  subject: string;
  text: string;
  /** Without brackets; ours, so it is unique and the intake's dedupe sees a retry as the same mail. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: Array<z.infer<typeof UploadedFile>>;
  date: Date;
}

/**
 * The RFC 822 message a person's mail client would have sent: From them, to support, with
 * the thread's In-Reply-To and References when it answers a ticket. Built by nodemailer's
 * MailComposer, so MIME, encoded words and attachments are what real mail looks like.
 */
export async function composeClientMail(m: ClientMail): Promise<Buffer> {
  const bracket = (id: string) => `<${id}>`;
  return new MailComposer({
    from: { name: m.from.name, address: m.from.address },
    to: m.to,
    subject: m.subject,
    text: m.text,
    date: m.date,
    messageId: bracket(m.messageId),
    inReplyTo: m.inReplyTo ? bracket(m.inReplyTo) : undefined,
    references: m.references.length ? m.references.map(bracket).join(' ') : undefined,
    attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
    headers: { 'X-Modest-Origin': 'cabinet' },
  }).compile().build();
}
