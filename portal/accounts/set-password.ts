import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { AccountDeps } from './account-deps.js';
import { hashPassword } from './hash-password.js';
import { consumeLink } from './one-time-links.js';
import { getUser, setPasswordHash, type PortalUser } from './portal-user-repo.js';
import { createSession, endAllSessions, type NewSession } from './sessions.js';

/**
 * Uses an invitation or reset link: sets the password, ends every other session of the person
 * (a reset is often because someone else got in), and signs this browser in.
 */
export async function setPasswordWithLink(deps: AccountDeps, input: { token: string; password: string; ip: string; userAgent: string | null },
  now = new Date()): Promise<{ user: PortalUser; session: NewSession }> {
  // Hashing is slow on purpose: done before the transaction, so no row lock waits for it.
  const hash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const link = await consumeLink(tx, input.token, now);
    await setPasswordHash(tx, link.userId, hash, now);
    await endAllSessions(tx, link.userId);
    const user = (await getUser(tx, link.userId))!;
    const session = await createSession(tx, user.id, { ttlMs: deps.settings.sessionMs, ip: input.ip, userAgent: input.userAgent, now });
    await recordAudit(tx, {
      ticketId: null, actor: `client:${user.email}`, channel: 'web', action: link.purpose === 'invite' ? 'cabinet_activated' : 'cabinet_password_reset',
      at: now, details: { ip: input.ip },
    });
    return { user, session };
  });
}
