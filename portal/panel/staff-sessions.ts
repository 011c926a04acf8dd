import crypto from 'node:crypto';
import type { Sql } from '../../tickets/store/db.js';
import type { StaffLinkClaims } from '../../bot/panel-links.js';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface StaffSessionRow {
  employeeId: number;
  csrfToken: string;
  /** The employee's row (`e.*`) with `department_name`: every API call needs it, so it comes along. */
  employee: Record<string, unknown>;
}

/**
 * Trades a checked link for a session, once: the nonce is remembered until the link would have
 * expired anyway, so a link copied from the chat later (or twice) signs nobody in. Null when the
 * link was used already or names nobody active.
 */
export async function redeemStaffLink(tx: Sql, claims: StaffLinkClaims, o: { now: Date; ttlMs: number; ip: string | null; userAgent: string | null }):
Promise<{ sessionId: string; csrfToken: string; employeeId: number } | null> {
  const [employee] = await tx.query<{ id: number }>('select id from employees where b24_user_id = $1 and active', [String(claims.b24UserId)]);
  if (!employee) return null;
  await tx.query('delete from staff_link_uses where expires_at < $1', [o.now]);
  const used = await tx.query(`insert into staff_link_uses (nonce, employee_id, used_at, expires_at) values ($1, $2, $3, $4)
    on conflict (nonce) do nothing returning 1`, [claims.nonce, employee.id, o.now, claims.expiresAt]);
  if (used.length === 0) return null;
  return openStaffSession(tx, employee.id, o);
}

/** A new session for an employee whose identity was checked (a link, or the portal's own word on the app page). */
export async function openStaffSession(tx: Sql, employeeId: number, o: { now: Date; ttlMs: number; ip: string | null; userAgent: string | null }):
Promise<{ sessionId: string; csrfToken: string; employeeId: number }> {
  const employee = { id: employeeId };
  await tx.query('delete from staff_sessions where employee_id = $1 and expires_at <= $2', [employee.id, o.now]);
  const sessionId = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await tx.query(`insert into staff_sessions (id_sha256, employee_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
    values ($1, $2, $3, $4, $5, $6, $6, $7)`,
  [sha256(sessionId), employee.id, csrfToken, o.ip, o.userAgent?.slice(0, 300) ?? null, o.now, new Date(o.now.getTime() + o.ttlMs)]);
  return { sessionId, csrfToken, employeeId: employee.id };
}

/** The staff member behind a session cookie, while the session lasts and they are still active. */
export async function loadStaffSession(sql: Sql, sessionId: string, now: Date): Promise<StaffSessionRow | null> {
  const [s] = await sql.query<{ employee_id: number; csrf_token: string; last_seen_at: Date } & Record<string, unknown>>(
    `select e.*, d.name as department_name, s.employee_id, s.csrf_token, s.last_seen_at from staff_sessions s
      join employees e on e.id = s.employee_id left join departments d on d.id = e.department_id
      where s.id_sha256 = $1 and s.expires_at > $2 and e.active`, [sha256(sessionId), now]);
  if (!s) return null;
  if (now.getTime() - s.last_seen_at.getTime() > 60_000) {
    await sql.query('update staff_sessions set last_seen_at = $2 where id_sha256 = $1', [sha256(sessionId), now]);
  }
  return { employeeId: s.employee_id, csrfToken: s.csrf_token, employee: s };
}

export async function endStaffSession(sql: Sql, sessionId: string): Promise<void> {
  await sql.query('delete from staff_sessions where id_sha256 = $1', [sha256(sessionId)]);
}
