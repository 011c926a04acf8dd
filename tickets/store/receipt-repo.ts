import type { Sql } from './db.js';

/** Records where a committed inbound mail came from; "already recorded" is success. */
export async function recordReceipt(sql: Sql, r: { sourceKey: string; mailbox: string; messageRowId: number }): Promise<void> {
  await sql.query(
    'insert into mail_receipts (source_key, mailbox, message_row_id) values ($1, $2, $3) on conflict (source_key) do nothing',
    [r.sourceKey, r.mailbox, r.messageRowId]);
}

/** Source keys of a mailbox's committed mails whose server copy is not marked yet. */
export async function listUnmarkedReceipts(sql: Sql, mailbox: string, limit = 1000): Promise<string[]> {
  const rows = await sql.query<{ source_key: string }>(
    'select source_key from mail_receipts where mailbox = $1 and marked_at is null order by created_at limit $2', [mailbox, limit]);
  return rows.map((r) => r.source_key);
}

export async function markReceipts(sql: Sql, sourceKeys: string[], at: Date): Promise<void> {
  if (sourceKeys.length > 0) await sql.query('update mail_receipts set marked_at = $2 where source_key = any($1)', [sourceKeys, at]);
}
