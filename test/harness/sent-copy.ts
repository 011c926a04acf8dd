import { ImapFlow } from 'imapflow';
import { DOVECOT_PASSWORD } from './dovecot.js';

/** Where an SMTP listener files what it accepts, as Gmail or Office 365 do: the sender's own Sent folder. */
export interface SentCopyTarget {
  imapPort: number;
  folder: string;
}

/**
 * Files a copy of an accepted mail into the authenticated user's Sent folder on the test
 * Dovecot, before the listener answers 250 (a provider files it as part of accepting).
 */
export async function fileSentCopy(target: SentCopyTarget, user: string, raw: Buffer): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1', port: target.imapPort, secure: false, logger: false, auth: { user, pass: DOVECOT_PASSWORD },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.mailboxCreate(target.folder).catch(() => { /* exists */ });
    await client.append(target.folder, raw, ['\\Seen']);
  } catch {
    // As a provider whose store is away: "not now" (4xx), so the sender keeps the mail and tries later.
    throw Object.assign(new Error('4.3.0 Mailbox store unavailable, try again later'), { responseCode: 451 });
  } finally {
    await client.logout().catch(() => client.close());
  }
}
