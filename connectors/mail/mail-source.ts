/** One raw message taken from a mailbox or the drop folder, not yet committed. */
export interface RawMail {
  /** Where it came from, unique per copy: imap:{mailbox}:{uidvalidity}:{uid} | drop:{id}. */
  sourceKey: string;
  mailbox: string;
  raw: Buffer;
}

/** What a mail source needs from the rest of the system. */
export interface MailSourceDeps {
  /** Durably hands raw mails over for processing (stored and queued when it resolves). */
  accept(mails: RawMail[]): Promise<void>;
  /** Source keys of this mailbox whose mail is committed but whose server copy is not marked. */
  committedUnmarked(mailbox: string): Promise<string[]>;
  /** Records that these copies are now marked on the server. */
  marked(sourceKeys: string[]): Promise<void>;
  /**
   * How many fetched mails this mailbox still has to hand over in a backlog (more than one
   * slice), 0 once through: outgoing mail waits meanwhile (workers/intake-backlog.ts).
   */
  backlog(mailbox: string, remaining: number): Promise<void>;
}

export type MailSourceState = 'starting' | 'connected' | 'reconnecting' | 'stopped';

export interface MailSourceHealth {
  name: string;
  state: MailSourceState;
  lastError: string | null;
}
