import crypto from 'node:crypto';
import type { Sql } from '../../tickets/store/db.js';
import { sha256 } from './one-time-links.js';
import { rowToUser, USER_COLUMNS, type PortalUser } from './portal-user-repo.js';

export interface NewSession {
  /** Goes into the HttpOnly cookie; the database keeps only its sha256. */
  sessionId: string;
  /** The double-submit CSRF token bound to this session. */
  csrfToken: string;
}

export async function createSession(sql: Sql, userId: number, o: { ttlMs: number; ip: string | null; userAgent: string | null; now: Date }): Promise<NewSession> {
  // The person's expired sessions go now: the table holds live sessions, not history (that is the audit log).
  await sql.query('delete from portal_sessions where user_id = $1 and expires_at <= $2', [userId, o.now]);
  const sessionId = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await sql.query(`insert into portal_sessions (id_sha256, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
    values ($1, $2, $3, $4, $5, $6, $6, $7)`,
  [sha256(sessionId), userId, csrfToken, o.ip, o.userAgent?.slice(0, 300) ?? null, o.now, new Date(o.now.getTime() + o.ttlMs)]);
  return { sessionId, csrfToken };
}

export interface ActiveSession {
  user: PortalUser;
  csrfToken: string;
}

/** The person behind a session cookie, or null when it is unknown or expired: one query, as every request asks it. */
export async function loadSession(sql: Sql, sessionId: string, now: Date): Promise<ActiveSession | null> {
  const id = sha256(sessionId);
  const [r] = await sql.query(`select s.csrf_token, s.last_seen_at, ${USER_COLUMNS}
    from portal_sessions s join portal_users u on u.id = s.user_id join clients c on c.id = u.client_id
    where s.id_sha256 = $1 and s.expires_at > $2`, [id, now]);
  if (!r) return null;
  // Touch at most once a minute: a page of requests should not write a row each.
  if (now.getTime() - (r.last_seen_at as Date).getTime() > 60_000) {
    await sql.query('update portal_sessions set last_seen_at = $2 where id_sha256 = $1', [id, now]);
  }
  return { user: rowToUser(r), csrfToken: r.csrf_token as string };
}

export async function endSession(sql: Sql, sessionId: string): Promise<void> {
  await sql.query('delete from portal_sessions where id_sha256 = $1', [sha256(sessionId)]);
}

/** "Sign out everywhere", and what a password change or reset does. */
export async function endAllSessions(sql: Sql, userId: number): Promise<number> {
  return (await sql.query('delete from portal_sessions where user_id = $1 returning 1', [userId])).length;
}
