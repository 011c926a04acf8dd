import type { Sql } from './db.js';

/** One received Bitrix24 event, as queued: the job id derives from the event, so a rerun is the same job. */
export interface InboxEvent {
  jobId: string;
  name: string;
  data: Record<string, unknown>;
}

/** Keeps events before the portal is told we have them; one already kept is left as it is. */
export async function recordEvents(sql: Sql, events: InboxEvent[]): Promise<void> {
  for (const e of events) {
    await sql.query('insert into b24_event_inbox(job_id, name, data) values ($1, $2, $3) on conflict (job_id) do nothing',
      [e.jobId, e.name, JSON.stringify(e.data)]);
  }
}

export async function markEventHandled(sql: Sql, jobId: string, at: Date): Promise<void> {
  await sql.query('update b24_event_inbox set handled_at = $2 where job_id = $1 and handled_at is null', [jobId, at]);
}

/** Events received before `olderThan` and not handled yet, in the order they came. */
export async function listUnhandledEvents(sql: Sql, olderThan: Date, limit = 100): Promise<InboxEvent[]> {
  const rows = await sql.query<{ job_id: string; name: string; data: Record<string, unknown> }>(
    `select job_id, name, data from b24_event_inbox where handled_at is null and received_at < $1 order by seq limit $2`,
    [olderThan, limit]);
  return rows.map((r) => ({ jobId: r.job_id, name: r.name, data: r.data }));
}

export async function forgetHandledEvents(sql: Sql, before: Date): Promise<void> {
  await sql.query('delete from b24_event_inbox where handled_at < $1', [before]);
}
