import iconv from 'iconv-lite';
import type { HeaderLines } from 'mailparser';
import { decodeUnlabelled, plausibility, type DecodedText } from './decode-unlabelled.js';

// mailparser reads header bytes as UTF-8 and decodes an encoded word's bytes only after it
// made a string of them, so raw 8-bit text (old Cyrillic mailers send windows-1251 or KOI8-R
// with no label at all) comes out as U+FFFD, and raw bytes inside an encoded word as the
// replacement character twice encoded ("пїЅ", "ï¿½"). It refuses UTF-7 outright. Its
// headerLines keep each header's bytes (as latin1 text), so such headers are decoded again
// here, from the bytes.

// Content may hold spaces: broken mailers put raw text into Q words as it is.
const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?]*?)\?=/g;
const UTF7 = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7$/;

type Piece = { kind: 'raw'; bytes: Buffer } | { kind: 'word'; charset: string; bytes: Buffer };

/** The raw bytes of a header's value (unfolded), or null when the mail has no such header. */
export function rawHeaderValue(lines: HeaderLines, key: string): Buffer | null {
  const line = lines.find((h) => h.key === key)?.line;
  if (line === undefined) return null;
  return Buffer.from(line.slice(line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '').trim(), 'latin1');
}

/** Whether mailparser's reading of this header should be replaced by decodeHeaderBytes. */
export function needsOwnDecoding(raw: Buffer, parsed: string): boolean {
  return raw.some((b) => b > 0x7f) || parsed.includes('\ufffd') || /=\?(?:[\w-]*utf-?7)\?/i.test(raw.toString('latin1'));
}

/** Decodes a header value from its bytes: RFC 2047 encoded words in any charset, raw 8-bit text in the likeliest. */
export function decodeHeaderBytes(raw: Buffer): DecodedText {
  let confident = true;
  const text = splitPieces(raw).map((p) => {
    const d = p.kind === 'raw' ? decodeRaw(p.bytes) : decodeWord(p.charset, p.bytes);
    confident &&= d.confident;
    return d.text;
  }).join('');
  return { text, confident };
}

function decodeRaw(bytes: Buffer): DecodedText {
  return bytes.every((b) => b < 0x80) ? { text: bytes.toString('latin1'), confident: true } : decodeUnlabelled(bytes);
}

function decodeWord(label: string, bytes: Buffer): DecodedText {
  const charset = label.toLowerCase().replace(/\*.*$/, '');
  if (UTF7.test(charset)) return { text: iconv.decode(bytes, 'utf7'), confident: true };
  // A label that does not fit the bytes (UTF-8 on windows-1251 bytes) is no label.
  if (/^utf-?8$/.test(charset) || !iconv.encodingExists(charset)) return decodeUnlabelled(bytes);
  return { text: iconv.decode(bytes, charset), confident: true };
}

/**
 * Raw runs and encoded words, in order. Whitespace between two encoded words is dropped
 * (RFC 2047 6.2), and adjacent words in one charset are joined before decoding, so a
 * character split across two words survives.
 */
function splitPieces(raw: Buffer): Piece[] {
  const s = raw.toString('latin1');
  const pieces: Piece[] = [];
  let at = 0;
  for (const m of s.matchAll(ENCODED_WORD)) {
    const between = s.slice(at, m.index);
    const prev = pieces[pieces.length - 1];
    if (!(prev?.kind === 'word' && /^[ \t]*$/.test(between)) && between) pieces.push({ kind: 'raw', bytes: Buffer.from(between, 'latin1') });
    const word: Piece = { kind: 'word', charset: m[1], bytes: wordBytes(m[2], m[3]) };
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'word' && last.charset.toLowerCase() === m[1].toLowerCase()) last.bytes = Buffer.concat([last.bytes, word.bytes]);
    else pieces.push(word);
    at = m.index + m[0].length;
  }
  if (at < s.length) pieces.push({ kind: 'raw', bytes: Buffer.from(s.slice(at), 'latin1') });
  return pieces;
}

/** B or Q content to bytes; raw 8-bit bytes inside a Q word pass through as they are. */
function wordBytes(encoding: string, content: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(content, 'base64');
  return Buffer.from(content.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

/**
 * An attachment name mailparser read from unlabelled 8-bit bytes comes out as latin1 text
 * ("îò÷¸ò.pdf" for windows-1251 "отчёт.pdf"); such a name is read again from those bytes,
 * and kept as it was unless another reading makes clearly better words.
 */
export function repairFilename(name: string): string {
  if (!/[\x80-\xff]/.test(name) || /[^\x00-\xff]/.test(name)) return name;
  const d = decodeUnlabelled(Buffer.from(name, 'latin1'), ['iso-8859-1']);
  return d.confident && plausibility(d.text) > plausibility(name) ? d.text : name;
}

/**
 * The subject, decoded from its bytes when mailparser's reading cannot be trusted. A subject
 * no reading fits clearly keeps U+FFFD for its unreadable bytes (see render-outgoing-mail.ts).
 */
export function decodeSubject(parsed: { subject?: string; headerLines: HeaderLines }): string {
  const subject = parsed.subject ?? '';
  const raw = rawHeaderValue(parsed.headerLines, 'subject');
  if (!raw || !needsOwnDecoding(raw, subject)) return subject.trim();
  return decodeHeaderBytes(raw).text.trim();
}
