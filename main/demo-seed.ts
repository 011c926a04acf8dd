import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../tickets/store/db.js';
import { insertClient } from '../tickets/store/client-repo.js';
import { hashPassword } from '../portal/accounts/hash-password.js';
import { sampleRoles, type Sandbox } from '../sandbox/index.js';

/** The portal's account manager, as the portal names them (the sandbox's own ids, never invented ones). */
export interface DemoStaff {
  accountManager: { b24UserId: number; name: string; email: string } | null;
}

/**
 * The sample portal's account manager (its "Account management" department), who is the
 * personal manager on the sample contracts, their reports and the cabinet: never a dispatcher
 * or another colleague. None with a real portal: the operator names managers there.
 */
export function demoStaff(portal: Sandbox | undefined): DemoStaff {
  const u = portal?.portal.state.data.users.get(sampleRoles.accountManager);
  return { accountManager: u ? { b24UserId: u.id, name: `${u.name} ${u.lastName}`, email: u.email } : null };
}

/**
 * Sample clients and contracts for the demo; written once, into an empty database. Departments
 * and staff are the portal's: the directory sync reads them, so they are not invented here
 * (invented ids would collide with the portal's and show as extra, empty departments).
 */
export async function seedDemoData(db: Db, staff: DemoStaff): Promise<boolean> {
  const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from clients');
  if (n > 0) return false;
  await db.transaction(async (tx) => {
    const m = staff.accountManager;
    const [manager] = m
      ? await tx.query<{ id: number }>(`insert into employees (b24_user_id, name, email, language) values ($1, $2, $3, 'ru')
          on conflict (b24_user_id) do update set name = excluded.name returning id`, [String(m.b24UserId), m.name, m.email])
      : [{ id: null }];
    const romashka = await insertClient(tx, {
      company: 'ООО «Ромашка»', language: 'ru', domains: ['romashka.example'],
      contacts: [{ email: 'director@romashka.example', name: 'Ольга Петрова', receivesReports: true }],
    });
    const acme = await insertClient(tx, {
      company: 'Acme Inc.', language: 'en', domains: ['acme.example'],
      contacts: [{ email: 'cto@acme.example', name: 'John Doe', receivesReports: true }],
    });
    await tx.query(`insert into contracts (client_id, number, subject, start_date, support_type, portal_url, portal_type, monthly_fee,
      package_hours, hourly_rate, over_package_rate, bonus_hours, account_manager_id) values
      ($1, 'ТП-2026/014', 'Техническая поддержка портала Битрикс24', '2026-01-01', 'Стандарт', 'https://romashka.bitrix24.ru', 'cloud',
        60000, 20, 3000, 3500, 2, $3),
      ($2, 'SUP-2026/031', 'Bitrix24 portal support', '2026-03-01', 'Premium', 'https://portal.acme.example', 'on-premise',
        150000, null, 4000, 4000, 0, $3)`, [romashka.id, acme.id, manager.id]);
  });
  return true;
}

/** Two sample requests in the drop folder, so the first start shows mail becoming tickets. */
export function dropSampleMails(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const samples: Record<string, string> = {
    'sample-1.eml': 'From: =?utf-8?B?0J7Qu9GM0LPQsCDQn9C10YLRgNC+0LLQsA==?= <director@romashka.example>\r\nTo: support@modest.example\r\n'
      + 'Subject: =?utf-8?B?0J3QtSDRgNCw0LHQvtGC0LDQtdGCINC40LzQv9C+0YDRgiDQuNC3IDHQoQ==?=\r\nMessage-ID: <demo-1@romashka.example>\r\n'
      + 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
      + 'Добрый день! С утра не работает импорт из 1С в CRM: сделки не появляются.\r\n',
    'sample-2.eml': 'From: John Doe <cto@acme.example>\r\nTo: support@modest.example\r\nSubject: Tasks do not sync to the calendar\r\n'
      + 'Message-ID: <demo-2@acme.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
      + 'Hi, since yesterday tasks with deadlines no longer show up in the calendar.\r\n',
  };
  for (const [name, raw] of Object.entries(samples)) fs.writeFileSync(path.join(dir, name), raw);
}

/** The demo's cabinet sign-ins: each sample client's director, with a password printed in the log. */
export const DEMO_CABINET_PASSWORD = 'demo-cabinet-2026';
const DEMO_CABINET_LOGINS = [
  { email: 'director@romashka.example', name: 'Ольга Петрова' },
  { email: 'cto@acme.example', name: 'John Doe' },
];

/**
 * Opens a director account with a known password for each sample client (once; a later
 * start keeps what the person changed). Real accounts are only ever opened by invitation.
 */
export async function seedDemoCabinet(db: Db): Promise<Array<{ email: string; password: string; company: string }>> {
  const hash = await hashPassword(DEMO_CABINET_PASSWORD);
  for (const l of DEMO_CABINET_LOGINS) {
    await db.query(`insert into portal_users (client_id, email, name, role, language, password_hash, invited_by, activated_at)
      select c.client_id, c.email, $2, 'director', cl.language, $3, 'operator:demo', now()
        from client_contacts c join clients cl on cl.id = c.client_id where c.email = $1
      on conflict (email) do nothing`, [l.email, l.name, hash]);
  }
  const rows = await db.query<{ email: string; company: string }>(`select u.email, c.company from portal_users u join clients c on c.id = u.client_id
    where u.invited_by = 'operator:demo' order by u.id`);
  return rows.map((r) => ({ ...r, password: DEMO_CABINET_PASSWORD }));
}
