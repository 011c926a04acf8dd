import crypto from 'node:crypto';
import type { Sql } from '../../tickets/store/db.js';
import { MailUnavailableError } from '../portal-errors.js';
import type { AccountDeps } from './account-deps.js';
import { issueLink, type LinkPurpose } from './one-time-links.js';
import type { PortalUser } from './portal-user-repo.js';
import { formatValidUntil, renderAccountMail } from './render-account-mail.js';

/**
 * Issues a one-time link and mails it, inside the caller's transaction: when SMTP refuses,
 * the error rolls the link (and an invitation) back, and the operator or person is told to
 * try again; nothing half-done stays behind.
 */
export async function sendAccountMail(deps: AccountDeps, tx: Sql, user: Pick<PortalUser, 'id' | 'email' | 'language' | 'company'>,
  purpose: LinkPurpose, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + (purpose === 'invite' ? deps.settings.inviteMs : deps.settings.resetMs));
  const token = await issueLink(tx, user.id, purpose, expiresAt, now);
  const link = `${deps.publicUrl}/set-password?token=${encodeURIComponent(token)}`;
  const mail = renderAccountMail(purpose, user.language, {
    link, company: user.company, supportName: deps.supportName, validUntil: formatValidUntil(expiresAt, user.language, deps.timeZone),
  });
  try {
    await deps.smtp.send({
      to: [user.email], subject: mail.subject, text: mail.text, inReplyTo: null, references: [], autoSubmitted: false,
      messageId: `cabinet-${purpose}-${crypto.randomUUID()}@${deps.messageIdDomain}`,
    });
  } catch (err) {
    throw new MailUnavailableError(err);
  }
}
