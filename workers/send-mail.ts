import type { Job } from 'bullmq';
import { crashPoint } from './crash-point.js';
import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import { claimOutbound, markMessageSent, releaseOutbound } from '../tickets/store/message-repo.js';
import { getTicket } from '../tickets/store/ticket-repo.js';
import { renderOutgoingMail } from '../connectors/mail/render-outgoing-mail.js';
import type { SmtpSender } from '../connectors/mail/smtp-sender.js';
import type { SendMailJob } from './jobs.js';

export interface SendMailDeps {
  db: Db;
  smtp: Pick<SmtpSender, 'send'>;
  companyName: string;
  log: Logger;
  /** Resolves when outgoing mail may go (see intake-backlog.ts); none: at once. */
  holdForIntake?: () => Promise<void>;
}

/**
 * Sends committed outgoing mails. Each is claimed first, so a mail already sent, or being
 * sent by another worker, is skipped. An SMTP failure releases the claim and throws: the
 * job retries with backoff and the mail is delayed, never dropped. While an intake works
 * through a backlog, sending waits a bounded time, so the cores go to incoming mail first.
 */
export function makeSendMail(deps: SendMailDeps) {
  return async (job: Job<SendMailJob>) => {
    await deps.holdForIntake?.();
    let sent = 0;
    for (const id of job.data.messageRowIds) {
      const msg = await claimOutbound(deps.db, id, job.id ?? 'unknown', new Date());
      if (!msg) continue;
      try {
        const ticket = await getTicket(deps.db, msg.ticketId);
        const rendered = renderOutgoingMail(msg.kind, msg.language ?? 'ru', {
          ticketNumber: ticket.number, subject: ticket.subject, companyName: deps.companyName, body: msg.bodyText ?? '',
        });
        await deps.smtp.send({
          to: msg.toAddresses, subject: rendered.subject, text: rendered.text, messageId: msg.messageId!,
          inReplyTo: msg.inReplyTo, references: msg.references, autoSubmitted: msg.kind === 'ack' || msg.kind === 'resolved',
        });
        crashPoint('after-smtp-accepted');
        await markMessageSent(deps.db, msg.id, { subject: rendered.subject, bodyText: rendered.text }, new Date());
        sent++;
        deps.log.info({ ticket: ticket.number, kind: msg.kind, messageRowId: msg.id }, 'mail sent');
      } catch (err) {
        await releaseOutbound(deps.db, id);
        throw err;
      }
    }
    return { sent };
  };
}
