import type { InboundMail } from './types.js';

// The replacement character, UTF-8 encoded and read back as windows-1252/latin1 or as
// windows-1251: what a mailer or a parser that decoded twice leaves behind.
const TWICE_ENCODED_REPLACEMENT = /ï¿½|пїЅ/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as PostgreSQL takes it: no NUL (text and jsonb refuse U+0000), no lone surrogate (jsonb
 * refuses it; the driver would turn it into U+FFFD silently anyway), and a replacement
 * character encoded twice back to one U+FFFD. The raw source stays byte-exact in the archive.
 */
export function cleanStoredText(s: string): string {
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd').replace(TWICE_ENCODED_REPLACEMENT, '\ufffd');
}

/** Every string of an inbound mail, cleaned for the store; the rest as it is. */
export function cleanInboundMail(mail: InboundMail): InboundMail {
  return cleanDeep(mail) as InboundMail;
}

function cleanDeep(v: unknown): unknown {
  if (typeof v === 'string') return cleanStoredText(v);
  if (Array.isArray(v)) return v.map(cleanDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cleanDeep(x)]));
  return v;
}
