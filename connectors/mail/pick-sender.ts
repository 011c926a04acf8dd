import type { AddressObject, ParsedMail } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { decodeHeaderBytes, needsOwnDecoding, rawHeaderValue } from './decode-headers.js';

export interface PickedSender {
  address: string;
  name: string | null;
}

export interface SenderChoice {
  /** The best address the headers give, or null when none gives one. */
  sender: PickedSender | null;
  /** From did not name exactly one usable address: whoever wrote it is not known for sure. */
  unknown: boolean;
}

/** A mailbox we could write to: something@domain.tld, nothing an SMTP server would refuse outright. */
// Letters of any script: mailparser gives internationalized domains (.рф) decoded.
const USABLE = /^[^\s@<>()[\]",;:\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/iu;

// After From, the headers that name a person or a mailbox behind the mail, most telling first.
// Return-Path is last: it is where bounces go, often a list's or a service's address.
const FALLBACKS = ['sender', 'reply-to', 'return-path'] as const;

/**
 * Who sent a mail. From when it holds exactly one usable address in exactly one From header;
 * otherwise the first usable address of Sender, Reply-To, Return-Path (and, last, of the From
 * headers, or anything with an @ there, after all), marked unknown: the mail is still a
 * mail, but nobody is acknowledged.
 */
export function pickSender(parsed: ParsedMail): SenderChoice {
  const fromLines = parsed.headerLines.filter((h) => h.key === 'from').length;
  const from = usable(parsed.headers.get('from') as AddressObject | undefined);
  if (fromLines === 1 && from) return { sender: withDecodedName(from, parsed), unknown: false };
  for (const key of FALLBACKS) {
    const found = usable(parsed.headers.get(key) as AddressObject | AddressObject[] | undefined);
    // A From with a name but no address still says who it is.
    if (found) return { sender: { address: found.address, name: found.name ?? fromName(parsed) }, unknown: true };
  }
  // Last, whatever From holds that looks like an address at all, to show, never to answer.
  const any = usable(parsed.headers.get('from') as AddressObject | undefined, /@/);
  return { sender: any ? withDecodedName(any, parsed) : null, unknown: true };
}

function fromName(parsed: ParsedMail): string | null {
  const from = parsed.headers.get('from') as AddressObject | undefined;
  return from?.value.map((v) => v.name?.trim()).find((n) => !!n) || null;
}

function usable(a: AddressObject | AddressObject[] | undefined, pattern = USABLE): PickedSender | null {
  const list = (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).flatMap((v) => (v.group ? v.group : [v]));
  const hit = list.find((v) => pattern.test(v.address?.trim() ?? ''));
  return hit ? { address: hit.address!.trim().toLowerCase(), name: hit.name?.trim() || null } : null;
}

/** A display name in raw 8-bit text (windows-1251, KOI8-R) read from its bytes; see decode-headers.ts. */
function withDecodedName(sender: PickedSender, parsed: ParsedMail): PickedSender {
  const raw = rawHeaderValue(parsed.headerLines, 'from');
  if (!raw || !needsOwnDecoding(raw, sender.name ?? '')) return sender;
  const decoded = decodeHeaderBytes(raw);
  if (!decoded.confident) return sender;
  const entry = addressparser(decoded.text, { flatten: true }).find((e) => e.address?.toLowerCase() === sender.address);
  return { address: sender.address, name: entry?.name?.trim() || sender.name };
}
