import path from 'node:path';
import type { Config } from '../config/load-config.js';
import { sha256 } from '../connectors/mail/blob-store.js';
import { parseInboundMail } from '../connectors/mail/parse-inbound-mail.js';
import { RawArchive } from '../connectors/mail/raw-archive.js';
import type { ClientMailIntake } from '../portal/mail/send-client-mail.js';
import { makeAcceptRawMail } from '../workers/accept-raw-mail.js';
import type { CoreServices } from './services.js';

/** The mailbox name mail written in the cabinet is recorded under (mail_receipts, logs). */
export const CABINET_MAILBOX = 'cabinet';

/**
 * Mail written in the cabinet enters where every mailbox's mail enters: its raw source is
 * kept in the raw archive (a segment of this process's own), parsed by the same parser,
 * and handed to the ingest queue as one more mail source. From there it meets the same
 * threading, deduplication, auto-reply and acknowledgement rules as any mail, because it
 * runs the same code. Resolves once the job is queued (durable in Redis).
 */
export function makeCabinetMailIntake(config: Config, core: Pick<CoreServices, 'blobs' | 'queues'>): ClientMailIntake & { close(): Promise<void> } {
  const archive = new RawArchive(path.join(config.dataDir, 'raw'));
  const accept = makeAcceptRawMail(async (raw) => {
    const { ref, written } = archive.append(raw);
    await written;
    const kept = { sha256: sha256(raw), ref };
    return parseInboundMail(raw, { blobs: core.blobs, maxAttachmentBytes: config.mail.maxAttachmentBytes, kept });
  }, core.queues);
  return {
    accept: (m) => accept([{ sourceKey: m.sourceKey, mailbox: CABINET_MAILBOX, raw: m.raw }]),
    close: () => archive.close(),
  };
}
