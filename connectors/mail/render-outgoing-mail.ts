import type { Language } from '../../tickets/types.js';
import { capSubject } from './cap-subject.js';
import { readableSubject } from './readable-subject.js';

export interface OutgoingContext {
  ticketNumber: number;
  subject: string;
  companyName: string;
  body?: string;
  /** A reply's author, signed above our signature: the client hears from a person. */
  authorName?: string | null;
  /** Our company's signature in the mail's language (MAIL_SIGNATURE_RU / _EN). */
  signature?: string;
}

/** A reply's text, then the specialist's name and our signature below the standard `-- ` line. */
function signedReply(c: OutgoingContext): string {
  const sign = [c.authorName, c.signature ?? c.companyName].filter(Boolean).join('\n');
  return `${(c.body ?? '').trimEnd()}\n\n-- \n${sign}`;
}

type Kind = 'ack' | 'resolved';

const TEXTS: Record<Kind, Record<Language, (c: OutgoingContext) => string>> = {
  ack: {
    ru: (c) => `Здравствуйте!\n\nВаше обращение зарегистрировано под номером #${c.ticketNumber}: «${c.subject}».\n`
      + 'Мы ответим вам в ближайшее время. Чтобы дополнить обращение, ответьте на это письмо, не меняя тему.\n\n'
      + `Это письмо отправлено автоматически.\n— ${c.companyName}`,
    en: (c) => `Hello,\n\nYour request is registered as ticket #${c.ticketNumber}: "${c.subject}".\n`
      + 'We will get back to you shortly. To add to it, reply to this mail and keep the subject as it is.\n\n'
      + `This mail was sent automatically.\n— ${c.companyName}`,
  },
  resolved: {
    ru: (c) => `Здравствуйте!\n\nОбращение #${c.ticketNumber} «${c.subject}» решено.\n`
      + 'Если вопрос остался, просто ответьте на это письмо — обращение откроется снова.\n\n'
      + `— ${c.companyName}`,
    en: (c) => `Hello,\n\nTicket #${c.ticketNumber} "${c.subject}" is resolved.\n`
      + 'If anything is left open, just reply to this mail and the ticket reopens.\n\n'
      + `— ${c.companyName}`,
  },
};

/** Subject and plain text of a mail we send, in the client's language. */
export function renderOutgoingMail(kind: string, language: Language, given: OutgoingContext): { subject: string; text: string } {
  // Never echo mojibake back: a subject we could not read is named as such, in words.
  const c = { ...given, subject: readableSubject(given.subject, language) };
  const subject = `[#${c.ticketNumber}] ${c.subject}`;
  if (kind === 'ack' || kind === 'resolved') return { subject: capSubject(subject), text: TEXTS[kind][language](c) };
  return { subject: capSubject(`Re: ${subject}`), text: signedReply(c) };
}

/** A new ticket's acknowledgement as written with the ticket (and sent as written, unless its ticket changed). */
export function ackText(companyName: string) {
  return (c: { ticketNumber: number; subject: string; language: Language }) =>
    renderOutgoingMail('ack', c.language, { ticketNumber: c.ticketNumber, subject: c.subject, companyName });
}
