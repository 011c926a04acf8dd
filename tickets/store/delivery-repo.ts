import type { Db, Sql } from './db.js';
import { recordAudit } from './audit-repo.js';

/** Why an outgoing mail will never go: the relay's final "no", or our own policy. */
export interface Undeliverable {
  state: 'failed' | 'suppressed';
  /** `invalid_address`, `daily_cap`, `machine_recipient`, `automatic_ticket`, or the relay's reply. */
  reason: string;
  to: string[];
}

/**
 * Ends a claimed outgoing mail for good, with an audit entry on its ticket. A failed mail is
 * marked for the bot (`bot_pending`), which tells the ticket's assignee; a suppressed one stays
 * quiet: holding back mail to a machine is the system working.
 */
export async function markUndeliverable(db: Db, id: number, u: Undeliverable, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ ticket_id: number }>(
      `update messages set send_state = $2, send_error = $3, send_claimed_by = null, send_claimed_at = null, bot_pending = $4
        where id = $1 and send_state = 'pending' returning ticket_id`, [id, u.state, u.reason, u.state === 'failed']);
    if (!row) return;
    await recordAudit(tx, {
      ticketId: row.ticket_id, actor: 'system', channel: 'mail', action: u.state === 'failed' ? 'mail_failed' : 'mail_suppressed', at,
      details: { messageRowId: id, to: u.to, reason: u.reason },
    });
  });
}

/** A mail the relay took for some of its recipients only: the others are noted on the ticket. */
export async function recordRefusedRecipients(sql: Sql, msg: { id: number; ticketId: number }, refused: string[], at: Date): Promise<void> {
  await recordAudit(sql, {
    ticketId: msg.ticketId, actor: 'system', channel: 'mail', action: 'mail_recipient_refused', at, details: { messageRowId: msg.id, to: refused },
  });
}

/**
 * Counts an automatic mail against each recipient's cap (`perDay` in the last 24 hours) and
 * says which recipients are over it, in which case nothing is counted. Race-safe under any
 * number of workers: a lock per address, taken in address order, covers count and insert. A
 * mail counted before (its send retried) passes without counting again.
 */
export async function countAutomaticMail(db: Db, messageRowId: number, to: string[], perDay: number, now: Date): Promise<string[]> {
  const addresses = [...new Set(to.map((a) => a.toLowerCase()))].sort();
  return db.transaction(async (tx) => {
    await tx.query(`select count(pg_advisory_xact_lock(hashtext('auto-mail:' || a))) from (select unnest($1::text[]) as a order by 1) s`,
      [addresses]);
    const rows = await tx.query<{ address: string; counted: boolean; recent: number }>(
      `select a as address,
              exists (select 1 from auto_mail_sends s where s.message_row_id = $2 and s.address = a) as counted,
              (select count(*)::int from auto_mail_sends s where s.address = a and s.counted_at > $3) as recent
         from unnest($1::text[]) a`, [addresses, messageRowId, new Date(now.getTime() - 86_400_000)]);
    const over = rows.filter((r) => !r.counted && r.recent >= perDay).map((r) => r.address);
    if (over.length > 0) return over;
    await tx.query(
      `insert into auto_mail_sends (message_row_id, address, counted_at) select $1, a, $3 from unnest($2::text[]) a
       on conflict do nothing`, [messageRowId, addresses, now]);
    return [];
  });
}
