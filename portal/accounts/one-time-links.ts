import crypto from 'node:crypto';
import type { Sql } from '../../tickets/store/db.js';
import { LinkInvalidError } from '../portal-errors.js';

export type LinkPurpose = 'invite' | 'reset';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** A new one-time link token (256 random bits); only its sha256 is stored. */
export async function issueLink(sql: Sql, userId: number, purpose: LinkPurpose, expiresAt: Date, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await sql.query(`insert into portal_tokens (token_sha256, user_id, purpose, expires_at, created_at) values ($1, $2, $3, $4, $5)`,
    [sha256(token), userId, purpose, expiresAt, now]);
  return token;
}

/** Uses a link once: under its row lock, so two clicks at once get one success. */
export async function consumeLink(sql: Sql, token: string, now: Date): Promise<{ userId: number; purpose: LinkPurpose }> {
  const [r] = await sql.query<{ user_id: number; purpose: LinkPurpose; expires_at: Date; used_at: Date | null }>(
    'select user_id, purpose, expires_at, used_at from portal_tokens where token_sha256 = $1 for update', [sha256(token)]);
  if (!r || r.used_at || r.expires_at.getTime() <= now.getTime()) throw new LinkInvalidError();
  // Any other open link of this person goes too: the newest mail is the only one that works.
  await sql.query('update portal_tokens set used_at = $2 where user_id = $1 and used_at is null', [r.user_id, now]);
  return { userId: r.user_id, purpose: r.purpose };
}
