import type { Sql } from '../../tickets/store/db.js';
import type { Language } from '../../tickets/types.js';

export type PortalRole = 'director' | 'employee';

export interface PortalUser {
  id: number;
  clientId: number;
  company: string;
  email: string;
  name: string;
  role: PortalRole;
  language: Language;
  passwordHash: string | null;
  failedLogins: number;
  lockedUntil: Date | null;
  activatedAt: Date | null;
}

/** The person's columns, on `portal_users u join clients c`. */
export const USER_COLUMNS = `u.id, u.client_id, c.company, u.email, u.name, u.role, u.language, u.password_hash, u.failed_logins,
  u.locked_until, u.activated_at`;

export function rowToUser(r: Record<string, unknown>): PortalUser {
  return {
    id: r.id as number, clientId: r.client_id as number, company: r.company as string, email: r.email as string,
    name: r.name as string, role: r.role as PortalRole, language: r.language as Language,
    passwordHash: r.password_hash as string | null, failedLogins: r.failed_logins as number,
    lockedUntil: r.locked_until as Date | null, activatedAt: r.activated_at as Date | null,
  };
}

export async function findUserByEmail(sql: Sql, email: string, opts: { forUpdate?: boolean } = {}): Promise<PortalUser | null> {
  const [r] = await sql.query(`select ${USER_COLUMNS} from portal_users u join clients c on c.id = u.client_id
    where u.email = $1 ${opts.forUpdate ? 'for update of u' : ''}`, [email.toLowerCase()]);
  return r ? rowToUser(r) : null;
}

export async function getUser(sql: Sql, id: number, opts: { forUpdate?: boolean } = {}): Promise<PortalUser | null> {
  const [r] = await sql.query(`select ${USER_COLUMNS} from portal_users u join clients c on c.id = u.client_id
    where u.id = $1 ${opts.forUpdate ? 'for update of u' : ''}`, [id]);
  return r ? rowToUser(r) : null;
}

export async function insertUser(sql: Sql, u: { clientId: number; email: string; name: string; role: PortalRole; language: Language; invitedBy: string; at: Date }): Promise<number> {
  const [r] = await sql.query<{ id: number }>(`insert into portal_users (client_id, email, name, role, language, invited_by, created_at)
    values ($1, $2, $3, $4, $5, $6, $7) returning id`, [u.clientId, u.email.toLowerCase(), u.name, u.role, u.language, u.invitedBy, u.at]);
  return r.id;
}

export async function setPasswordHash(sql: Sql, userId: number, hash: string, at: Date): Promise<void> {
  await sql.query(`update portal_users set password_hash = $2, activated_at = coalesce(activated_at, $3), failed_logins = 0,
    locked_until = null where id = $1`, [userId, hash, at]);
}

export async function recordWrongPassword(sql: Sql, userId: number, maxFailures: number, lockUntil: Date): Promise<Date | null> {
  const [r] = await sql.query<{ locked_until: Date | null }>(`update portal_users
    set failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
        locked_until = case when failed_logins + 1 >= $2 then $3 else locked_until end
    where id = $1 returning locked_until`, [userId, maxFailures, lockUntil]);
  return r?.locked_until ?? null;
}

export async function clearFailures(sql: Sql, userId: number): Promise<void> {
  await sql.query('update portal_users set failed_logins = 0, locked_until = null where id = $1', [userId]);
}
