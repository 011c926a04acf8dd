import type { Language } from '../../tickets/types.js';

const UNREADABLE: Record<Language, string> = { ru: '(тема не распознана)', en: '(subject could not be read)' };

// U+FFFD marks bytes the intake could not decode (see decode-unlabelled.ts); control
// characters and the usual UTF-8-read-as-a-single-byte-charset pairs ("Ð¿", "Ã©", "â€",
// "Ñ\u0080", "пїЅ") are what an undecoded or twice-decoded subject looks like.
const MOJIBAKE = /\ufffd|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[ÐÑ][\u0080-\u00bf¸¹]|Ã[\u0080-\u00bf]|â€|ï¿½|пїЅ/;

/** The subject as we may echo it to a client: itself, or in words when it is not readable text. */
export function readableSubject(subject: string, language: Language): string {
  return MOJIBAKE.test(subject) ? UNREADABLE[language] : subject;
}
