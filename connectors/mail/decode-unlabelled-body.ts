import type { ParsedMail } from 'mailparser';
import { decodeUnlabelled } from './decode-unlabelled.js';

/**
 * A single-part plain-text mail with 8-bit text and no charset label (old Cyrillic mailers)
 * comes out of mailparser as U+FFFD for every letter. Its body is read again from the raw
 * bytes, like an unlabelled header (see decode-unlabelled.ts); kept as it was unless a
 * reading is clearly right.
 */
export function decodeUnlabelledBody(raw: Buffer, parsed: ParsedMail, text: string): string {
  if (!text.includes('\ufffd')) return text;
  const type = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if ((type?.value && type.value !== 'text/plain') || type?.params?.charset) return text;
  const end = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((i) => i >= 0);
  if (end.length === 0) return text;
  const start = Math.min(...end);
  const body = raw.subarray(start + (raw[start] === 0x0d ? 4 : 2));
  const d = decodeUnlabelled(transferDecoded(body, String(parsed.headers.get('content-transfer-encoding') ?? '')));
  // Line ends as mailparser gives them.
  return d.confident ? d.text.replace(/\r\n/g, '\n').trim() : text;
}

function transferDecoded(body: Buffer, encoding: string): Buffer {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (e !== 'quoted-printable') return body;
  const s = body.toString('latin1').replace(/=\r?\n/g, '').replace(/=([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(s, 'latin1');
}
