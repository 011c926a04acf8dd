import type { Queue } from 'bullmq';
import type { Sql } from '../../../tickets/store/db.js';
import type { SystemState } from './admin-schemas.js';

/** What the administration shows of the running system; built by main/ from the settings (no passwords, no tokens). */
export interface SystemSources {
  mailboxes: ReadonlyArray<{ name: string; host: string; port: number; user: string; folder: string }>;
  bitrix24: { mode: 'webhook' | 'oauth' | 'off'; portalHost: string | null; connected(): Promise<boolean> };
  queues: readonly Queue[];
  /** The process's readiness checks (database, Redis, mail stuck before its commit, schedules). */
  checks: Record<string, () => Promise<{ ok: boolean; detail?: unknown }>>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function runCheck(name: string, check: () => Promise<{ ok: boolean; detail?: unknown }>) {
  try {
    const r = await check();
    return { name, ok: r.ok, detail: r.detail ?? null };
  } catch (err) {
    return { name, ok: false, detail: (err as Error)?.message ?? String(err) };
  }
}

export async function readSystemState(sql: Sql, s: SystemSources): Promise<SystemState> {
  const [checks, receipts, [events], queues, connected] = await Promise.all([
    Promise.all(Object.entries(s.checks).map(([name, c]) => runCheck(name, c))),
    sql.query<{ mailbox: string; last: Date | null; today: number; unflagged: number }>(
      `select mailbox, max(created_at) as last, count(*) filter (where created_at > now() - interval '1 day')::int as today,
              count(*) filter (where marked_at is null)::int as unflagged
         from mail_receipts where mailbox = any($1::text[]) group by mailbox`, [s.mailboxes.map((m) => m.name)]),
    sql.query<{ waiting: number; oldest: Date | null; last: Date | null }>(
      `select count(*) filter (where handled_at is null)::int as waiting, min(received_at) filter (where handled_at is null) as oldest,
              max(received_at) as last from b24_event_inbox`),
    Promise.all(s.queues.map(async (q) => ({ name: q.name, counts: await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed') }))),
    s.bitrix24.connected().catch(() => false),
  ]);
  const byBox = new Map(receipts.map((r) => [r.mailbox, r]));
  return {
    checks,
    mailboxes: s.mailboxes.map((m) => {
      const r = byBox.get(m.name);
      return { name: m.name, host: m.host, port: m.port, user: m.user, folder: m.folder, lastReceivedAt: iso(r?.last), receivedToday: r?.today ?? 0, notFlagged: r?.unflagged ?? 0 };
    }),
    bitrix24: {
      mode: s.bitrix24.mode, portal: s.bitrix24.portalHost, connected,
      eventsWaiting: events?.waiting ?? 0, oldestWaitingAt: iso(events?.oldest), lastEventAt: iso(events?.last),
    },
    queues,
  };
}
