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
 * Counts automatic mails against each recipient's cap (`perDay` in the last 24 hours), in the
 * order given, and says for each mail which of its recipients are over it, in which case
 * nothing is counted for that mail. One transaction for them all (a send job's mails): the
 * sender claims a whole job's acknowledgements at once. Race-safe under any number of
 * workers: a lock per address, taken in address order, covers count and insert. A mail
 * counted before (its send retried) passes without counting again.
 */
export async function countAutomaticMails(db: Db, mails: Array<{ id: number; to: string[] }>, perDay: number, now: Date): Promise<Map<number, string[]>> {
  const over = new Map<number, string[]>();
  const wanted = mails.map((m) => ({ id: m.id, addresses: [...new Set(m.to.map((a) => a.toLowerCase()))].sort() }));
  const addresses = [...new Set(wanted.flatMap((m) => m.addresses))].sort();
  if (addresses.length === 0) return over;
  return db.transaction(async (tx) => {
    await tx.query(`select count(pg_advisory_xact_lock(hashtext('auto-mail:' || a))) from (select unnest($1::text[]) as a order by 1) s`,
      [addresses]);
    const [row] = await tx.query<{ recent: Array<{ address: string; n: number }>; counted: string[] }>(
      `select (select coalesce(json_agg(json_build_object('address', a, 'n',
                (select count(*)::int from auto_mail_sends s where s.address = a and s.counted_at > $3))), '[]')
                from unnest($1::text[]) a) as recent,
              array(select message_row_id || ' ' || address from auto_mail_sends where message_row_id = any($2::bigint[])) as counted`,
      [addresses, wanted.map((m) => m.id), new Date(now.getTime() - 86_400_000)]);
    const recent = new Map(row.recent.map((r) => [r.address, r.n]));
    const counted = new Set(row.counted);
    const add: Array<{ id: number; address: string }> = [];
    for (const m of wanted) {
      const fresh = m.addresses.filter((a) => !counted.has(`${m.id} ${a}`));
      const full = fresh.filter((a) => recent.get(a)! >= perDay);
      if (full.length > 0) {
        over.set(m.id, full);
        continue;
      }
      for (const a of fresh) {
        recent.set(a, recent.get(a)! + 1);
        counted.add(`${m.id} ${a}`);
        add.push({ id: m.id, address: a });
      }
    }
    if (add.length > 0) {
      await tx.query(
        `insert into auto_mail_sends (message_row_id, address, counted_at) select unnest($1::bigint[]), unnest($2::text[]), $3
         on conflict do nothing`, [add.map((x) => x.id), add.map((x) => x.address), now]);
    }
    return over;
  });
}
