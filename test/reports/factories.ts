import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import type { Sql } from '../../tickets/store/db.js';
import { insertClient } from '../../tickets/store/client-repo.js';
import type { Language } from '../../tickets/types.js';
import { createDatabase } from '../harness/postgres.js';
import { freshPgliteDir } from '../harness/pglite-template.js';

export type Engine = 'pglite' | 'postgres';

/** A migrated database of its own: a fresh PostgreSQL database, or PGlite in a temp folder. */
export async function openTestDb(engine: Engine = 'postgres'): Promise<Db> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-reports-'));
  const db = await openDb({
    databaseUrl: engine === 'postgres' ? await createDatabase(process.env.TEST_DATABASE_URL!) : undefined,
    pgliteDir: freshPgliteDir(path.join(dir, 'pglite')),
  });
  await migrate(db);
  return db;
}

let seq = 0;

export async function makeEmployee(sql: Sql, name: string, email: string | null = null): Promise<number> {
  const [e] = await sql.query<{ id: number }>('insert into employees (b24_user_id, name, email) values ($1, $2, $3) returning id',
    [`u${++seq}${Date.now()}`, name, email]);
  return e.id;
}

export interface ContractInput {
  number?: string;
  packageHours?: number | null;
  bonusHours?: number;
  overPackageRate?: number;
  startDate?: string;
  endDate?: string | null;
  managerId?: number | null;
}

export async function makeClient(sql: Sql, company: string, o: { language?: Language; contract?: ContractInput | null;
  reportEmails?: string[]; otherEmails?: string[] } = {}): Promise<number> {
  const c = await insertClient(sql, {
    company, language: o.language ?? 'ru',
    contacts: [...(o.reportEmails ?? []).map((email) => ({ email, receivesReports: true })), ...(o.otherEmails ?? []).map((email) => ({ email }))],
  });
  if (o.contract !== null) {
    const k = o.contract ?? {};
    await sql.query(`insert into contracts (client_id, number, subject, start_date, end_date, support_type, portal_url, portal_type,
        monthly_fee, package_hours, hourly_rate, over_package_rate, bonus_hours, account_manager_id)
      values ($1, $2, 'Поддержка портала', $3, $4, 'Стандарт', 'https://portal.example', 'cloud', 60000, $5, 3000, $6, $7, $8)`,
    [c.id, k.number ?? `K-${c.id}`, k.startDate ?? '2026-01-01', k.endDate ?? null, k.packageHours === undefined ? 20 : k.packageHours,
      k.overPackageRate ?? 3500, k.bonusHours ?? 0, k.managerId ?? null]);
  }
  return c.id;
}

export interface TicketInput {
  clientId: number;
  subject?: string;
  status?: 'new' | 'assigned' | 'in_progress' | 'escalated' | 'awaiting_time' | 'resolved';
  createdAt?: string;
  /** Closed by the specialist; for resolved tickets the time is recorded a minute later. */
  closedAt?: string;
  assigneeId?: number | null;
  entries?: Array<{ minutes: number; billable?: boolean; employeeId?: number | null }>;
}

/** A ticket as the bot will leave it: closed_at on Close, resolved_at once the time is recorded. */
export async function makeTicket(sql: Sql, t: TicketInput): Promise<number> {
  const status = t.status ?? (t.closedAt ? 'resolved' : 'in_progress');
  const closed = t.closedAt ? new Date(t.closedAt) : null;
  const [row] = await sql.query<{ number: number; id: number }>(`insert into tickets (status, client_id, subject, assignee_id, created_at,
      updated_at, closed_at, resolved_at) values ($1, $2, $3, $4, $5, $5, $6, $7) returning id, number`,
  [status, t.clientId, t.subject ?? 'Не работает импорт', t.assigneeId ?? null, new Date(t.createdAt ?? '2026-10-01T09:00:00+03:00'),
    closed, status === 'resolved' && closed ? new Date(closed.getTime() + 60_000) : null]);
  for (const e of t.entries ?? []) {
    await sql.query('insert into time_entries (ticket_id, employee_id, minutes, billable) values ($1, $2, $3, $4)',
      [row.id, e.employeeId ?? t.assigneeId ?? null, e.minutes, e.billable ?? true]);
  }
  return row.number;
}
