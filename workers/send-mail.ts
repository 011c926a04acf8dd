import type { Job } from 'bullmq';
import { crashPoint } from './crash-point.js';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { isValidMailAddress } from '../tickets/mail-address.js';
import { countAutomaticMails, markUndeliverable, recordRefusedRecipients, type Undeliverable } from '../tickets/store/delivery-repo.js';
import {
  anyEarlyReplyAck, claimOutbound, clearSendAttempt, markMessageSent, markSendAttempt, releaseOutbound, type ClaimedOutbound, type StoredMessage,
} from '../tickets/store/message-repo.js';
import { getEmployee } from '../tickets/store/employee-repo.js';
import type { Language } from '../tickets/types.js';
import { isMachineAddress } from '../connectors/mail/detect-auto-mail.js';
import { renderOutgoingMail } from '../connectors/mail/render-outgoing-mail.js';
import { SmtpRefusedError } from '../connectors/mail/smtp-errors.js';
import type { MailSender } from '../connectors/mail/smtp-sender.js';
import type { BlobStore } from '../connectors/mail/blob-store.js';
import type { SentCopies } from '../connectors/mail/sent-folder.js';
import type { SendMailJob } from './jobs.js';

export interface SendMailDeps {
  db: Db;
  smtp: MailSender;
  companyName: string;
  /** Under the specialist's name in replies, per language; default: the company name. */
  signatures?: Record<Language, string>;
  log: Logger;
  /** At most this many automatic mails (acknowledgements, resolution notices) to one address in 24 hours. */
  autoMailsPerAddressPerDay?: number;
  /**
   * Resolves when an acknowledgement that a merge may still cancel may go (see intake-backlog.ts);
   * none: at once.
   */
  holdForIntake?: () => Promise<void>;
  /** Where the files attached to a reply are kept (the operator panel's replies carry files). */
  blobs?: BlobStore;
  /**
   * Where the relay keeps a copy of what it accepted (SMTP_SENT_FOLDER_URL). A mail handed
   * to SMTP whose outcome was lost is looked up there first and sent again only when
   * missing. None: such a mail is sent again (at least once).
   */
  sentCopies?: SentCopies;
}

/** A copy may reach the Sent folder a moment after the relay's 250; a miss counts only after this. */
const SENT_COPY_SETTLE_MS = 5_000;

type Outcome = 'sent' | 'failed' | 'suppressed';

/** Mails of one job in flight at once. */
const SEND_LANES = 4;

/** Mail we send without a person writing it: the loop guards apply to these. */
const AUTOMATIC_KINDS = new Set(['ack', 'resolved']);

/**
 * Sends committed outgoing mails: claimed first (a mail sent already, or being sent by another
 * worker, is skipped), then checked, then sent each on its own. A mail that can never
 * go (an invalid address, the relay's permanent refusal) or that we hold back (automatic
 * mail to a machine or over the daily cap) is ended for good and recorded on its ticket; the
 * others go on. A relay's "not now" for one mail releases it and the job retries after the
 * rest; a relay that cannot be reached stops the job, which retries with backoff: delayed,
 * never dropped. While an intake works through a backlog, an early reply's acknowledgement waits a bounded time.
 */
export function makeSendMail(deps: SendMailDeps) {
  return async (job: Job<SendMailJob>) => {
    // Only an early reply's acknowledgement waits for a backlog: its original may be in it, absorb
    // its ticket and cancel it (merge-tickets.ts), so the client never gets a second one. Every
    // other mail goes at once; a client expects the acknowledgement within seconds.
    if (deps.holdForIntake && await anyEarlyReplyAck(deps.db, job.data.messageRowIds)) await deps.holdForIntake();
    const counts: Record<Outcome, number> = { sent: 0, failed: 0, suppressed: 0 };
    let deferred: SmtpRefusedError | null = null;
    let stop: { err: unknown } | null = null;
    // The job's mails are claimed, and its automatic ones counted against their caps, in one
    // go each: a job holds the acknowledgements of an ingested slice (up to 50 mails).
    const queue = await claimOutbound(deps.db, job.data.messageRowIds, job.id ?? 'unknown', new Date());
    const held = await whyNotSend(deps, queue);
    // Sent one after another, the last would wait seconds for the others: a few lanes share the SMTP pool.
    const lane = async () => {
      for (let claimed = queue.shift(); claimed !== undefined && !stop; claimed = queue.shift()) {
        const { id } = claimed.msg;
        try {
          counts[await sendOne(deps, claimed, held.get(id) ?? null)]++;
        } catch (err) {
          await releaseOutbound(deps.db, [id]);
          if (!(err instanceof SmtpRefusedError)) {
            stop ??= { err };
            return;
          }
          deps.log.warn({ messageRowId: id, err: err.message }, 'mail deferred by the relay; the others go on');
          deferred ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_LANES, queue.length) }, lane));
    if (stop) {
      // What no lane took is left for the retry, or for another sender.
      if (queue.length > 0) await releaseOutbound(deps.db, queue.map((c) => c.msg.id));
      throw (stop as { err: unknown }).err;
    }
    if (deferred) throw deferred;
    return counts;
  };
}

async function sendOne(deps: SendMailDeps, { msg, ticket }: ClaimedOutbound, stop: Undeliverable | null): Promise<Outcome> {
  const language = msg.language ?? 'ru';
  const author = msg.kind === 'reply' && msg.authorEmployeeId ? await getEmployee(deps.db, msg.authorEmployeeId) : null;
  const rendered = renderOutgoingMail(msg.kind, language, {
    ticketNumber: ticket.number, subject: ticket.subject, companyName: deps.companyName, body: msg.bodyText ?? '',
    authorName: author?.name ?? null, signature: deps.signatures?.[language],
  });
  if (await sentBefore(deps, msg)) {
    await markMessageSent(deps.db, msg.id, { subject: rendered.subject, bodyText: rendered.text }, new Date());
    deps.log.info({ ticket: ticket.number, kind: msg.kind, messageRowId: msg.id }, 'mail found in the Sent folder after a lost outcome; not sent again');
    return 'sent';
  }
  if (stop) return end(deps, msg, ticket.number, stop);
  let refused: string[] = [];
  try {
    const files = msg.attachments.filter((a) => a.sha256);
    const attachments = deps.blobs && files.length > 0
      ? await Promise.all(files.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await deps.blobs!.get(a.sha256!) })))
      : undefined;
    await markSendAttempt(deps.db, msg.id, new Date());
    const result = await deps.smtp.send({
      to: msg.toAddresses, subject: rendered.subject, text: rendered.text, messageId: msg.messageId!,
      inReplyTo: msg.inReplyTo, references: msg.references, autoSubmitted: AUTOMATIC_KINDS.has(msg.kind), ...(attachments ? { attachments } : {}),
    });
    refused = result?.rejected ?? [];
    crashPoint('after-smtp-accepted');
  } catch (err) {
    if (!(err instanceof SmtpRefusedError)) throw err;
    // The relay answered "no" to this mail: it did not take it, so the outcome is known.
    await clearSendAttempt(deps.db, msg.id);
    if (!err.permanent) throw err;
    const reason = err.responseCode ? `${err.responseCode} ${err.response}` : err.response;
    return end(deps, msg, ticket.number, { state: 'failed', reason, to: msg.toAddresses });
  }
  await markMessageSent(deps.db, msg.id, { subject: rendered.subject, bodyText: rendered.text }, new Date());
  // The relay took it for some recipients and refused others: sent, and the refusal noted on the ticket.
  if (refused.length > 0) await recordRefusedRecipients(deps.db, msg, refused, new Date());
  deps.log.info({ ticket: ticket.number, kind: msg.kind, messageRowId: msg.id, refused }, 'mail sent');
  return 'sent';
}

/**
 * Whether an earlier hand-over of this mail, whose outcome was lost (the sender died or the
 * connection broke after DATA), did reach the relay: its copy is in the Sent folder. Only
 * asked for such mails, and only where the relay keeps copies; a folder that cannot be read
 * throws (the job retries later): sending blind could send twice.
 */
async function sentBefore(deps: SendMailDeps, msg: StoredMessage): Promise<boolean> {
  if (!msg.sendAttemptedAt || !deps.sentCopies || !msg.messageId) return false;
  const wait = msg.sendAttemptedAt.getTime() + SENT_COPY_SETTLE_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return deps.sentCopies.has(msg.messageId);
}

/**
 * The checks before mails go, by mail id (those that may go are not in the map): a writable
 * address always; for automatic mail, a human recipient under the daily cap (counted for the
 * job's mails in one transaction, in their order).
 */
async function whyNotSend(deps: SendMailDeps, claimed: ClaimedOutbound[]): Promise<Map<number, Undeliverable>> {
  const held = new Map<number, Undeliverable>();
  const capped: Array<{ id: number; to: string[] }> = [];
  for (const { msg, openedByAutomaticMail } of claimed) {
    const to = msg.toAddresses;
    const invalid = to.filter((a) => !isValidMailAddress(a));
    if (to.length === 0 || invalid.length > 0) held.set(msg.id, { state: 'failed', reason: `invalid_address ${invalid.join(', ')}`.trim(), to });
    else if (!AUTOMATIC_KINDS.has(msg.kind)) continue;
    else if (to.some(isMachineAddress)) held.set(msg.id, { state: 'suppressed', reason: 'machine_recipient', to });
    else if (openedByAutomaticMail) held.set(msg.id, { state: 'suppressed', reason: 'automatic_ticket', to });
    else capped.push({ id: msg.id, to });
  }
  if (capped.length === 0) return held;
  const over = await countAutomaticMails(deps.db, capped, deps.autoMailsPerAddressPerDay ?? 10, new Date());
  for (const m of capped) {
    const full = over.get(m.id);
    if (full) held.set(m.id, { state: 'suppressed', reason: `daily_cap ${full.join(', ')}`, to: m.to });
  }
  return held;
}

async function end(deps: SendMailDeps, msg: StoredMessage, ticketNumber: number, u: Undeliverable): Promise<Outcome> {
  await markUndeliverable(deps.db, msg.id, u, new Date());
  const line = u.state === 'failed' ? 'mail refused for good; recorded on the ticket' : 'automatic mail held back; recorded on the ticket';
  deps.log.warn({ ticket: ticketNumber, kind: msg.kind, messageRowId: msg.id, to: u.to, reason: u.reason }, line);
  return u.state;
}
