import iconv from 'iconv-lite';

const UTF7_HINTS = [Buffer.from('tf-7'), Buffer.from('TF-7')];
const CHARSET_PARAM = /charset\s*=\s*"?([\w.:-]+)/gi;
const UTF7 = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7$/i;

/**
 * mailparser refuses to decode UTF-7 bodies: a filter that looks for "<" before decoding
 * would miss +ADw-script+AD4-. Ours sanitizes after decoding, so a mail whose every part is
 * labelled UTF-7 (Outlook Express and some phones send them) has its text and HTML decoded
 * here, before the sanitizer. A mail mixing UTF-7 with other charsets is left as it is:
 * decoding its other parts as UTF-7 would garble every "+".
 */
export function isAllUtf7(raw: Buffer): boolean {
  if (!UTF7_HINTS.some((h) => raw.includes(h))) return false;
  const labels = [...raw.toString('latin1').matchAll(CHARSET_PARAM)].map((m) => m[1]);
  return labels.length > 0 && labels.every((l) => UTF7.test(l));
}

export function decodeUtf7(text: string): string {
  return iconv.decode(Buffer.from(text, 'utf8'), 'utf7');
}
