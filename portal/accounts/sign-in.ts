import { recordAudit } from '../../tickets/store/audit-repo.js';
import { AccountLockedError, BadCredentialsError, SignInRateLimitedError } from '../portal-errors.js';
import type { AccountDeps } from './account-deps.js';
import { verifyPassword } from './hash-password.js';
import { clearFailures, findUserByEmail, recordWrongPassword, type PortalUser } from './portal-user-repo.js';
import { createSession, type NewSession } from './sessions.js';

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

type Outcome = { ok: true; user: PortalUser; session: NewSession } | { ok: false; error: Error };

/**
 * E-mail and password to a session. Wrong passwords count per account (CABINET_LOGIN_MAX_FAILURES
 * in a row lock it for CABINET_LOCKOUT_MINUTES, right password or not) and per address of the
 * request (CABINET_IP_MAX_FAILURES in that time: refused before any password is checked). The
 * failure is committed before it is reported, so a refused attempt still counts.
 */
export async function signIn(deps: AccountDeps, a: SignInAttempt, now = new Date()): Promise<{ user: PortalUser; session: NewSession }> {
  const s = deps.settings;
  const since = new Date(now.getTime() - s.lockoutMs);
  const [{ n }] = await deps.db.query<{ n: number }>(
    'select count(*)::int as n from portal_login_failures where ip = $1 and created_at > $2', [a.ip, since]);
  if (n >= s.ipMaxFailures) throw new SignInRateLimitedError();
  const outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
    const user = await findUserByEmail(tx, a.email, { forUpdate: true });
    const fail = async (error: Error, action: string): Promise<Outcome> => {
      // Only the window counts, so this address's older failures are of no use any more.
      await tx.query('delete from portal_login_failures where ip = $1 and created_at <= $2', [a.ip, since]);
      await tx.query('insert into portal_login_failures (ip, email, created_at) values ($1, $2, $3)', [a.ip, a.email, now]);
      await recordAudit(tx, { ticketId: null, actor: `client:${a.email}`, channel: 'web', action, at: now, details: { ip: a.ip, known: Boolean(user) } });
      return { ok: false, error };
    };
    if (user?.lockedUntil && user.lockedUntil > now) return fail(new AccountLockedError(user.lockedUntil), 'cabinet_login_locked');
    if (!user || !(await verifyPassword(user.passwordHash, a.password))) {
      const lockedUntil = user ? await recordWrongPassword(tx, user.id, s.maxFailures, new Date(now.getTime() + s.lockoutMs)) : null;
      return fail(lockedUntil && lockedUntil > now ? new AccountLockedError(lockedUntil) : new BadCredentialsError(), 'cabinet_login_failed');
    }
    await clearFailures(tx, user.id);
    const session = await createSession(tx, user.id, { ttlMs: s.sessionMs, ip: a.ip, userAgent: a.userAgent, now });
    await recordAudit(tx, { ticketId: null, actor: `client:${user.email}`, channel: 'web', action: 'cabinet_login', at: now, details: { ip: a.ip } });
    return { ok: true, user, session };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome;
}
