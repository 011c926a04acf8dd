// Deterministic data for the reports benchmark: clients with contracts and 1-60 tickets each,
// all closed in one month, as the in-memory report input the ceiling renders straight away,
// and inserted into PostgreSQL for the pipeline to load back. Same seed, same data.
import { DateTime } from 'luxon';
import type { Db } from '../tickets/store/db.js';
import type { ContractTerms, MonthInput, ReportTicket } from '../reports/types.js';
import { makeRandom } from './generate-bench-mail.js';

export const BENCH_MONTH = '2026-10';
export const BENCH_ZONE = 'Europe/Moscow';

interface Employee { id: number; name: string; email: string }
interface Entry { ticketId: number; employeeId: number; minutes: number; billable: boolean }

export interface ReportBenchData {
  employees: Employee[];
  inputs: MonthInput[];
  /** Per ticket number: its id, assignee and time entries (what the database holds). */
  rows: Map<number, { id: number; employeeId: number; entries: Entry[] }>;
}

const FIRST = ['Олег', 'Анна', 'Дмитрий', 'Мария', 'Иван', 'Елена', 'John', 'Kate', 'Сергей', 'Ольга'];
const LAST = ['Смирнов', 'Иванова', 'Козлов', 'Петрова', 'Brown', 'Miller', 'Соколов', 'Волкова', 'Новиков'];
const RU = 'не работает выгрузка заказов ошибка при открытии отчёта настройки портала счёт оплата доставка импорт прайс-листа склад сделки обновление интеграция с 1С права доступа бизнес-процесс'.split(' ');
const EN = 'order export fails error opening report portal settings invoice payment delivery price list import warehouse deals update integration access rights workflow'.split(' ');
const COMPANY = ['Ромашка', 'Вектор', 'Альфа', 'Север', 'Acme', 'Globex', 'Initech', 'Стройторг', 'Техносфера', 'Umbrella'];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function subject(rnd: () => number, ru: boolean): string {
  const words = Array.from({ length: 3 + Math.floor(rnd() * (rnd() < 0.1 ? 25 : 8)) }, () => pick(rnd, ru ? RU : EN));
  return words.join(' ').replace(/^./, (c) => c.toUpperCase());
}

function contract(rnd: () => number, id: number, manager: Employee): ContractTerms {
  return {
    id, number: `ТП-2026/${String(id).padStart(5, '0')}`, subject: 'Техническая поддержка портала Битрикс24',
    startDate: DateTime.fromISO('2025-01-01').plus({ days: Math.floor(rnd() * 600) }).toISODate()!,
    supportType: pick(rnd, ['Стандарт', 'Премиум', 'Базовый']), portalUrl: `https://client${id}.bitrix24.ru`,
    portalType: pick(rnd, ['cloud', 'on-premise']), monthlyFee: 1000 * (20 + Math.floor(rnd() * 200)), currency: 'RUB',
    packageHours: rnd() < 0.15 ? null : pick(rnd, [5, 7.5, 10, 20, 40]), hourlyRate: 3000, overPackageRate: 3500,
    bonusHours: pick(rnd, [0, 0, 1, 2, 5]), accountManager: { name: manager.name, email: manager.email },
  };
}

/** The month's tickets of one client, in the order the report lists them (closed, then number). */
function tickets(rnd: () => number, ru: boolean, employees: Employee[], next: { id: number; number: number }, rows: ReportBenchData['rows']): ReportTicket[] {
  const start = DateTime.fromISO(`${BENCH_MONTH}-01T00:00:00`, { zone: BENCH_ZONE }).toMillis();
  const span = DateTime.fromMillis(start, { zone: BENCH_ZONE }).plus({ months: 1 }).toMillis() - start;
  const out: ReportTicket[] = [];
  for (let k = 1 + Math.floor(rnd() * 60); k > 0; k--) {
    const closed = start + Math.floor((rnd() * span) / 1000) * 1000;
    const opened = closed - Math.floor(rnd() * 20 * 86400) * 1000;
    const employee = pick(rnd, employees);
    const id = next.id++;
    const entries: Entry[] = Array.from({ length: rnd() < 0.3 ? 2 : 1 }, () => ({
      ticketId: id, employeeId: employee.id, minutes: 5 * (1 + Math.floor(rnd() * 48)), billable: rnd() < 0.9,
    }));
    const number = next.number++;
    rows.set(number, { id, employeeId: employee.id, entries });
    out.push({
      number, subject: subject(rnd, ru), openedAt: new Date(opened).toISOString(), closedAt: new Date(closed).toISOString(),
      specialist: employee.name, minutes: entries.reduce((a, e) => a + e.minutes, 0),
      billableMinutes: entries.filter((e) => e.billable).reduce((a, e) => a + e.minutes, 0),
    });
  }
  return out.sort((a, b) => a.closedAt.localeCompare(b.closedAt) || a.number - b.number);
}

export function generateReportData(clients: number, seed: number): ReportBenchData {
  const rnd = makeRandom(seed);
  const employees = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, name: `${pick(rnd, FIRST)} ${pick(rnd, LAST)}`, email: `e${i + 1}@modest.example` }));
  const rows: ReportBenchData['rows'] = new Map();
  const next = { id: 1, number: 100_000 };
  const inputs = Array.from({ length: clients }, (_, i): MonthInput => {
    const ru = rnd() < 0.8;
    return {
      client: { id: i + 1, company: ru ? `ООО «${pick(rnd, COMPANY)}-${i + 1}»` : `${pick(rnd, COMPANY)} ${i + 1} Ltd`, language: ru ? 'ru' : 'en' },
      month: BENCH_MONTH, zone: BENCH_ZONE,
      contract: rnd() < 0.9 ? contract(rnd, i + 1, pick(rnd, employees)) : null,
      tickets: tickets(rnd, ru, employees, next, rows), missingTime: [], stillOpen: [],
    };
  });
  return { employees, inputs, rows };
}

/** Inserts the data with explicit ids, in batches of unnest() arrays (minutes for 6,000 clients row by row). */
export async function insertReportData(db: Db, d: ReportBenchData): Promise<void> {
  const e = d.employees;
  await db.query(`insert into employees (id, b24_user_id, name, email) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[])`,
    [e.map((x) => x.id), e.map((x) => `b${x.id}`), e.map((x) => x.name), e.map((x) => x.email)]);
  const managerId = new Map(e.map((x) => [x.email, x.id]));
  for (let i = 0; i < d.inputs.length; i += 500) {
    const batch = d.inputs.slice(i, i + 500);
    await db.query(`insert into clients (id, company, language) select * from unnest($1::bigint[], $2::text[], $3::text[])`,
      [batch.map((x) => x.client.id), batch.map((x) => x.client.company), batch.map((x) => x.client.language)]);
    const ks = batch.flatMap((x) => (x.contract ? [{ c: x.contract, client: x.client.id }] : []));
    const col = <T>(f: (k: ContractTerms) => T) => ks.map((k) => f(k.c));
    await db.query(`insert into contracts (id, client_id, number, subject, start_date, support_type, portal_url, portal_type, monthly_fee,
        currency, package_hours, hourly_rate, over_package_rate, bonus_hours, account_manager_id)
      select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::numeric[],
        $10::text[], $11::numeric[], $12::numeric[], $13::numeric[], $14::numeric[], $15::bigint[])`,
    [col((k) => k.id), ks.map((k) => k.client), col((k) => k.number), col((k) => k.subject), col((k) => k.startDate), col((k) => k.supportType),
      col((k) => k.portalUrl), col((k) => k.portalType), col((k) => k.monthlyFee), col((k) => k.currency), col((k) => k.packageHours),
      col((k) => k.hourlyRate), col((k) => k.overPackageRate), col((k) => k.bonusHours), col((k) => managerId.get(k.accountManager!.email!)!)]);
    await insertTickets(db, batch, d.rows);
  }
}

async function insertTickets(db: Db, batch: MonthInput[], rows: ReportBenchData['rows']): Promise<void> {
  const ts = batch.flatMap((x) => x.tickets.map((t) => ({ t, client: x.client.id, row: rows.get(t.number)! })));
  await db.query(`insert into tickets (id, number, status, client_id, subject, assignee_id, created_at, updated_at, closed_at, resolved_at)
    select id, number, 'resolved', client_id, subject, assignee_id, created_at, closed_at, closed_at, closed_at + interval '1 minute'
    from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
      as u(id, number, client_id, subject, assignee_id, created_at, closed_at)`,
  [ts.map((x) => x.row.id), ts.map((x) => x.t.number), ts.map((x) => x.client), ts.map((x) => x.t.subject), ts.map((x) => x.row.employeeId),
    ts.map((x) => x.t.openedAt), ts.map((x) => x.t.closedAt)]);
  const es = ts.flatMap((x) => x.row.entries);
  await db.query(`insert into time_entries (ticket_id, employee_id, minutes, billable)
    select * from unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[])`,
  [es.map((x) => x.ticketId), es.map((x) => x.employeeId), es.map((x) => x.minutes), es.map((x) => x.billable)]);
}
