// Encoders for the single-byte Cyrillic charsets Russian mail still arrives in. Node can
// decode them (TextDecoder, full ICU) but not encode, so the tables are built by inverting
// the decoder. Pure: no I/O.

export type MailCharset = 'utf-8' | 'windows-1251' | 'koi8-r';

const tables = new Map<string, Map<string, number>>();

function tableFor(charset: Exclude<MailCharset, 'utf-8'>): Map<string, number> {
  let t = tables.get(charset);
  if (!t) {
    t = new Map();
    const decoder = new TextDecoder(charset);
    for (let b = 0x80; b <= 0xff; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      if (ch !== '\ufffd' && !t.has(ch)) t.set(ch, b);
    }
    tables.set(charset, t);
  }
  return t;
}

/** `text` in `charset`; characters the charset lacks become `?`. */
export function encodeCharset(text: string, charset: MailCharset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  const table = tableFor(charset);
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out[n++] = code < 0x80 ? code : table.get(ch) ?? 0x3f;
  }
  return out.subarray(0, n);
}

/** RFC 2047 B encoded-words for a header value, folded so no line exceeds 76 characters. */
export function encodeWords(text: string, charset: MailCharset): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const prefix = `=?${charset}?B?`;
  const maxBytes = Math.floor((75 - prefix.length - 2) / 4) * 3;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (encodeCharset(chunk + ch, charset).length > maxBytes) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `${prefix}${encodeCharset(w, charset).toString('base64')}?=`).join('\r\n ');
}

/** Quoted-printable (RFC 2045) of bytes whose lines end in CRLF. */
export function encodeQuotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let line = '';
  const push = (token: string) => {
    if (line.length + token.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += token;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(line);
      line = '';
      i++;
      continue;
    }
    const nextIsEol = i + 1 >= bytes.length || bytes[i + 1] === 0x0d;
    const literal = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || (b === 0x20 && !nextIsEol);
    push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** Base64 in 76-character lines. */
export function encodeBase64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
}
