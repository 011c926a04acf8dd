import { ImapFlow } from 'imapflow';
import type { MailboxSettings } from '../../config/load-config.js';

/** Whether the relay stored a copy of a mail we handed it: the answer to "did SMTP take it?" after a crash. */
export interface SentCopies {
  /** True when a mail with this Message-ID (without brackets) is in the Sent folder. */
  has(messageId: string): Promise<boolean>;
}

/** The Sent folder could not be read: whether the mail went out is still unknown, so nothing is decided. */
export class SentFolderUnreachableError extends Error {
  readonly code = 'mail.sent_folder_unreachable';
  constructor(readonly cause: unknown) {
    super(`Sent folder unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SentFolderUnreachableError';
  }
}

/**
 * The Sent folder of the account we send with, over IMAP. Gmail always, Exchange Online /
 * Office 365 for SMTP AUTH submissions, and Yandex with its setting for mail programs put a
 * copy of every mail their SMTP accepted there, as part of accepting it;
 * so a mail whose hand-over outcome we lost (a crash after the relay's 250, a connection cut
 * before it) is found there by its Message-ID exactly when the relay took it. Folder '' means
 * the one the server marks `\Sent` (RFC 6154), whatever its language ("[Gmail]/Отправленные");
 * imapflow falls back to the usual names ("Sent", "Sent Items") on servers that mark none.
 * One short session per look-up: they happen only after a crash or a lost connection.
 */
export class SentFolder implements SentCopies {
  constructor(private readonly box: MailboxSettings) {}

  async has(messageId: string): Promise<boolean> {
    const client = new ImapFlow({
      host: this.box.host, port: this.box.port, secure: this.box.secure, logger: false,
      auth: { user: this.box.user, pass: this.box.password },
    });
    client.on('error', () => { /* surfaces as the failed call below */ });
    try {
      await client.connect();
      await client.mailboxOpen(await this.folder(client), { readOnly: true });
      // HEADER search is a substring match; the brackets make it the whole id.
      const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
      return Array.isArray(uids) && uids.length > 0;
    } catch (err) {
      throw new SentFolderUnreachableError(err);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  private async folder(client: ImapFlow): Promise<string> {
    if (this.box.folder) return this.box.folder;
    const sent = (await client.list()).find((f) => f.specialUse === '\\Sent');
    if (!sent) throw new Error('no Sent folder found on this server; name it in SMTP_SENT_FOLDER_URL');
    return sent.path;
  }
}
