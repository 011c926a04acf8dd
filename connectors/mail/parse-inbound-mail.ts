import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import type { AttachmentMeta, InboundMail } from '../../tickets/types.js';
import { sha256, type BlobStore } from './blob-store.js';
import { decodeSubject, repairFilename } from './decode-headers.js';
import { decodeUnlabelledBody } from './decode-unlabelled-body.js';
import { decodeUtf7, isAllUtf7 } from './decode-utf7-body.js';
import { detectAutoMail } from './detect-auto-mail.js';
import { liftBase64Parts } from './lift-base64-parts.js';
import { pickSender } from './pick-sender.js';

/** Where the raw source was kept (see raw-archive.ts), and its hash. */
export interface KeptRaw {
  sha256: string;
  ref: string;
}

export interface ParseDeps {
  blobs: Pick<BlobStore, 'put'>;
  maxAttachmentBytes: number;
  /** The raw source as kept; without it the mail names no stored source. */
  kept?: KeptRaw;
}

/** A header field name (RFC 5322): a source without a single one has no header to read. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const MAX_UNPARSED_TEXT = 256 * 1024;

const stripBrackets = (id: string) => id.trim().replace(/^<|>$/g, '');
const idList = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : (v ?? '').split(/\s+/)).map(stripBrackets).filter(Boolean);
const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).map((v) => v.address?.toLowerCase()).filter((x): x is string => !!x);

/** sha256 checksums are our attachments' content addresses: no second pass over the bytes. */
export const PARSE_OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, checksumAlgo: 'sha256' } as const;

/** Scripts, styles, event handlers and remote-resource tricks go; formatting stays. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img', 'span', 'font', 'center']),
    allowedAttributes: { ...sanitizeHtml.defaults.allowedAttributes, '*': ['style', 'align', 'colspan', 'rowspan'], img: ['src', 'alt', 'width', 'height'] },
    allowedSchemes: ['http', 'https', 'mailto', 'cid'],
    // Every style is allowed, so having postcss parse and re-print each one only cost time.
    parseStyleAttributes: false,
  });
}

/**
 * mailparser derives text only from a top-level HTML part; an HTML part beside attachments
 * gets it here, from the HTML as sanitized: well-formed and without script or style, so
 * dropping its tags is enough, and the HTML is not parsed a second time.
 */
function textOfSanitizedHtml(html: string): string {
  return html.replace(/<(br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]*>/gi, '$&\n').replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Turns a raw message into the domain's InboundMail: every charset decoded (by mailparser,
 * and from the bytes where it cannot: unlabelled 8-bit headers and names, UTF-7), HTML
 * sanitized, attachments stored content-addressed, the sender taken from the best header.
 * It never throws on bad input: only a message whose MIME cannot be read at all comes back
 * flagged `unparsed`, with what text could be read.
 */
export async function parseInboundMail(raw: Buffer, deps: ParseDeps): Promise<InboundMail> {
  const kept = { sha256: deps.kept?.sha256 ?? sha256(raw), ref: deps.kept?.ref ?? null };
  let parsed: ParsedMail;
  try {
    parsed = await parseMime(raw);
  } catch (err) {
    return { ...unparsedMail(kept, `parser failed: ${(err as Error).message}`), text: readableText(raw) };
  }
  if (!parsed.headerLines.some((h) => FIELD_NAME.test(h.key))) return { ...unparsedMail(kept, 'no mail headers'), text: readableText(raw) };
  const { sender, unknown } = pickSender(parsed);
  const lines = new Map(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()]));
  const messageId = parsed.messageId ? stripBrackets(parsed.messageId) : null;
  const utf7 = isAllUtf7(raw);
  const rawHtml = typeof parsed.html === 'string' ? (utf7 ? decodeUtf7(parsed.html) : parsed.html) : null;
  const html = rawHtml === null ? null : sanitizeMailHtml(rawHtml);
  const plain = decodeUnlabelledBody(raw, parsed, (utf7 && parsed.text ? decodeUtf7(parsed.text) : parsed.text ?? '').trim());
  const text = plain || (html ? textOfSanitizedHtml(html) : '');
  const subject = decodeSubject(parsed);
  const attachments = await storeAttachments(parsed, deps);
  // The same message by another route has other Received lines but the same sender, Date,
  // subject, text, HTML and attachments; variants of one mail often share only a From, Date and text.
  const content = parsed.date && sender
    ? [sender.address, parsed.date.toISOString(), subject, text, html ?? '', ...attachments.map((a) => a.sha256 ?? `${a.filename}:${a.size}`)].join('\n')
    : null;
  return {
    dedupeKey: messageId ? `mid:${messageId}` : `sha256:${kept.sha256}`,
    messageId,
    inReplyTo: parsed.inReplyTo ? idList(parsed.inReplyTo)[0] ?? null : null,
    references: idList(parsed.references),
    from: sender,
    senderUnknown: unknown,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject,
    text,
    html,
    attachments,
    rawSha256: kept.sha256,
    contentSha256: content === null ? null : sha256(Buffer.from(content)),
    rawRef: kept.ref,
    autoKind: detectAutoMail((name) => lines.get(name), sender?.address ?? null, { fromName: sender?.name, subject }),
    unparsed: false,
    parseError: null,
  };
}

/** What a person can read of a source whose MIME we could not: its bytes as UTF-8, up to a size. */
export function readableText(raw: Buffer): string {
  return raw.subarray(0, MAX_UNPARSED_TEXT).toString('utf8').trim();
}

/** mailparser, with large base64 attachments decoded natively (see lift-base64-parts.ts). */
async function parseMime(raw: Buffer): Promise<ParsedMail> {
  const lifted = liftBase64Parts(raw);
  if (lifted) {
    const parsed = await simpleParser(lifted.skeleton, PARSE_OPTIONS).catch(() => null);
    if (parsed && lifted.restore(parsed.attachments)) return parsed;
  }
  return simpleParser(raw, PARSE_OPTIONS);
}

async function storeAttachments(parsed: ParsedMail, deps: ParseDeps): Promise<AttachmentMeta[]> {
  return Promise.all(parsed.attachments.map(async (a): Promise<AttachmentMeta> => {
    const base = { filename: a.filename ? repairFilename(a.filename) : 'attachment', contentType: a.contentType, size: a.content.length };
    if (a.content.length > deps.maxAttachmentBytes) return { ...base, sha256: null, skipped: 'too_large' };
    return { ...base, sha256: await deps.blobs.put(a.content, a.checksum) };
  }));
}

/** A mail kept as it came, for a person to read from its raw source. */
export function unparsedMail(kept: { sha256: string; ref: string | null }, reason: string, subject?: string): InboundMail {
  return {
    dedupeKey: `sha256:${kept.sha256}`, messageId: null, inReplyTo: null, references: [], from: null, to: [], cc: [],
    subject: subject?.trim() ?? '', text: '', html: null, attachments: [], rawSha256: kept.sha256, rawRef: kept.ref, autoKind: null,
    unparsed: true, parseError: reason,
  };
}
