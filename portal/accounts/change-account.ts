import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { Db, Sql } from '../../tickets/store/db.js';
import type { Language } from '../../tickets/types.js';
import { BadCredentialsError } from '../portal-errors.js';
import { hashPassword, verifyPassword } from './hash-password.js';
import { getUser, setPasswordHash, type PortalUser } from './portal-user-repo.js';

export async function updateProfile(sql: Sql, userId: number, p: { name?: string; language?: Language }): Promise<void> {
  await sql.query('update portal_users set name = coalesce($2, name), language = coalesce($3, language) where id = $1',
    [userId, p.name ?? null, p.language ?? null]);
}

/**
 * A new password, given the current one. Every other session of the person ends (whoever
 * else was signed in with the old password is out); this one stays.
 */
export async function changePassword(db: Db, user: PortalUser, currentSessionSha: string, current: string, next: string, now = new Date()): Promise<void> {
  const fresh = await getUser(db, user.id);
  if (!fresh || !(await verifyPassword(fresh.passwordHash, current))) throw new BadCredentialsError();
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, hash, now);
    await tx.query('delete from portal_sessions where user_id = $1 and id_sha256 <> $2', [user.id, currentSessionSha]);
    await recordAudit(tx, { ticketId: null, actor: `client:${user.email}`, channel: 'web', action: 'cabinet_password_changed', at: now });
  });
}

/** The company's cabinet accounts, for its director. */
export async function listColleagues(sql: Sql, clientId: number): Promise<Array<{ email: string; name: string; role: PortalUser['role']; active: boolean }>> {
  return sql.query(`select email, name, role, activated_at is not null as active from portal_users where client_id = $1 order by email`, [clientId]);
}
