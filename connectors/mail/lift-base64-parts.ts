import crypto from 'node:crypto';
import type { Attachment } from 'mailparser';
import { sha256 } from './blob-store.js';

// mailparser decodes base64 in JavaScript, line by line through a splitter, a decoder and a
// checksum stream: for a mail with a 200 KB attachment that is three quarters of its parse.
// Large base64 attachments are therefore lifted out of the source and decoded natively, and
// mailparser parses what is left, in which each lifted body is a marker. mailparser still
// reads every header and decides the structure: only an attachment whose content comes out as
// exactly one of our markers gets the lifted bytes, and if any marker does not come out so,
// the caller parses the whole source instead. The markers are random per mail, so mail
// content cannot pose as one.

/** Smaller bodies cost mailparser little; not worth a second look. */
const MIN_LIFT_BYTES = 8 * 1024;
/** Bytes of a body turned into a string at a time: small enough to be an ordinary young string. */
const DECODE_SLICE = 48 * 1024;
const NOT_BASE64 = /[^A-Za-z0-9+/=]+/g;
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
const EQUALS = 0x3d;

/**
 * Whether Buffer decodes `body` as mailparser would. Both skip what is not base64, except
 * that Buffer reads `-` and `_` as base64url, and stops at padding where mailparser goes on.
 * Without `-` the body also holds no delimiter line, so it ends where mailparser ends it.
 */
function decodesAlike(body: Buffer): boolean {
  if (body.includes(DASH) || body.includes(UNDERSCORE)) return false;
  // After the first `=`, only more padding and line breaks: nothing is left to decode.
  for (let i = body.indexOf(EQUALS); i >= 0 && i < body.length; i++) {
    if (body[i] !== EQUALS && body[i] !== CR && body[i] !== LF) return false;
  }
  return true;
}

/**
 * Decodes a base64 body natively, a slice at a time. Turning the whole body into one string
 * first, as `Buffer.from(string, 'base64')` needs, costs more than decoding it: a string that
 * large gets pages of its own, fresh from the kernel. Slices carry over the characters past
 * their last whole group of four, so they join as the whole would.
 */
function decodeBase64(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(body.length / 4) * 3);
  let written = 0;
  let carry = '';
  for (let at = 0; at < body.length; at += DECODE_SLICE) {
    const chars = carry + body.toString('latin1', at, Math.min(body.length, at + DECODE_SLICE)).replace(NOT_BASE64, '');
    const whole = chars.length - (chars.length % 4);
    written += out.write(chars.slice(0, whole), written, 'base64');
    carry = chars.slice(whole);
  }
  if (carry) written += out.write(carry, written, 'base64');
  return out.subarray(0, written);
}

interface Lift { start: number; end: number; content: Buffer }

export interface LiftedMail {
  /** The source with each lifted body replaced by its marker. */
  skeleton: Buffer;
  /**
   * Puts the lifted bytes into the attachments mailparser found in the skeleton; false, and
   * nothing changed, unless every marker came out as exactly one attachment's content.
   */
  restore(attachments: Attachment[]): boolean;
}

/** Lifts the large base64 attachments of a multipart mail; null when there is nothing to lift. */
export function liftBase64Parts(raw: Buffer): LiftedMail | null {
  const top = readHeaders(raw, 0, raw.length);
  if (!top?.boundary) return null;
  const lifts: Lift[] = [];
  if (!scanMultipart(raw, top.bodyStart, raw.length, top.boundary, lifts) || lifts.length === 0) return null;
  const nonce = crypto.randomBytes(12).toString('hex');
  const markers = lifts.map((_, k) => Buffer.from(`modest-lifted-part ${nonce} ${k}`));
  const pieces: Buffer[] = [];
  let at = 0;
  lifts.forEach((l, k) => {
    pieces.push(raw.subarray(at, l.start), Buffer.from(markers[k].toString('base64')));
    at = l.end;
  });
  pieces.push(raw.subarray(at));
  return {
    skeleton: Buffer.concat(pieces),
    restore(attachments) {
      const found = attachments.map((a) => markers.findIndex((m) => a.content.equals(m)));
      if (found.filter((k) => k >= 0).sort((x, y) => x - y).join() !== lifts.map((_, k) => k).join()) return false;
      found.forEach((k, i) => {
        if (k < 0) return;
        const a = attachments[i];
        a.content = lifts[k].content;
        a.size = a.content.length;
        a.checksum = sha256(a.content);
      });
      return true;
    },
  };
}

/** Walks the parts of one multipart body, collecting what can be lifted; false on anything unexpected. */
function scanMultipart(raw: Buffer, start: number, end: number, boundary: string, lifts: Lift[]): boolean {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let d = findDelimiter(raw, start, end, delimiter);
  while (d && !d.closing) {
    const next = findDelimiter(raw, d.next, end, delimiter);
    if (!next) return false; // never closed: leave it all to mailparser
    // The line break in front of a delimiter belongs to the delimiter.
    const partEnd = next.at - (raw[next.at - 2] === CR ? 2 : 1);
    if (partEnd < d.next || !visitPart(raw, d.next, partEnd, lifts)) return false;
    d = next;
  }
  return d !== null;
}

function visitPart(raw: Buffer, start: number, end: number, lifts: Lift[]): boolean {
  const h = readHeaders(raw, start, end);
  if (!h) return true;
  if (h.boundary) return scanMultipart(raw, h.bodyStart, end, h.boundary, lifts);
  if (h.base64 && h.type.includes('/') && !/^(text|message|multipart)\//.test(h.type) && end - h.bodyStart >= MIN_LIFT_BYTES) {
    const body = raw.subarray(h.bodyStart, end);
    if (decodesAlike(body)) lifts.push({ start: h.bodyStart, end, content: decodeBase64(body) });
  }
  return true;
}

/** A delimiter line at a line start: `--boundary`, maybe `--`, maybe SP/HTAB, then CR* LF. */
function findDelimiter(raw: Buffer, from: number, end: number, delimiter: Buffer) {
  for (let at = raw.indexOf(delimiter, from); at >= 0 && at < end; at = raw.indexOf(delimiter, at + 1)) {
    if (at !== from && raw[at - 1] !== LF) continue;
    let j = at + delimiter.length;
    const closing = raw[j] === 0x2d && raw[j + 1] === 0x2d;
    if (closing) j += 2;
    while (raw[j] === 0x20 || raw[j] === 0x09) j++;
    while (raw[j] === CR) j++;
    if (raw[j] === LF) return { at, next: j + 1, closing };
    if (closing && j >= end) return { at, next: end, closing };
  }
  return null;
}

/** Where the headers from `start` end: the line break before the first empty line, or -1. */
function blankLine(raw: Buffer, start: number, end: number): number {
  for (let i = raw.indexOf(LF, start); i >= 0 && i < end; i = raw.indexOf(LF, i + 1)) {
    if (raw[i + 1] === LF || (raw[i + 1] === CR && raw[i + 2] === LF)) return i;
  }
  return -1;
}

interface PartHeaders { bodyStart: number; type: string; boundary: string | null; base64: boolean }

/**
 * The few headers the walk needs, read plainly. Anything this reading could get wrong
 * (a repeated header, comments, RFC 2231 parameters) makes the part unliftable instead.
 */
function readHeaders(raw: Buffer, start: number, end: number): PartHeaders | null {
  if (raw[start] === LF || (raw[start] === CR && raw[start + 1] === LF)) return null; // no headers at all
  const stop = blankLine(raw, start, end);
  if (stop < 0) return null;
  const lines = raw.toString('latin1', start, stop).replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/);
  const field = (name: string) => {
    const found = lines.filter((l) => l.slice(0, name.length + 1).toLowerCase() === `${name}:`);
    return found.length === 1 ? found[0].slice(name.length + 1).trim() : found.length === 0 ? '' : null;
  };
  const contentType = field('content-type');
  const encoding = field('content-transfer-encoding');
  if (contentType === null || encoding === null || /[()]|\*\s*=/.test(contentType)) return null;
  const type = contentType.split(';')[0].trim().toLowerCase();
  const b = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;"]+))/i.exec(contentType);
  const boundary = type.startsWith('multipart/') && b ? (b[1] ?? b[2]).trimEnd() : null;
  return {
    bodyStart: stop + (raw[stop + 1] === CR ? 3 : 2), type,
    // mailsplit takes no boundary holding a non-ASCII character; nor do we.
    boundary: boundary && /^[\x20-\x7e]+$/.test(boundary) ? boundary : null,
    base64: encoding.toLowerCase() === 'base64',
  };
}
