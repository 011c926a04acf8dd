import type { Db } from '../../tickets/store/db.js';
import type { SmtpSender } from '../../connectors/mail/smtp-sender.js';

/** What the account functions need; main/ builds it from the config. */
export interface AccountDeps {
  db: Db;
  smtp: Pick<SmtpSender, 'send'>;
  /** The cabinet's address: links in mails point here. */
  publicUrl: string;
  supportName: string;
  /** Right-hand side of our Message-IDs. */
  messageIdDomain: string;
  timeZone: string;
  settings: {
    sessionMs: number;
    inviteMs: number;
    resetMs: number;
    maxFailures: number;
    lockoutMs: number;
    ipMaxFailures: number;
  };
}
