import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listQueue } from '../../portal/panel/list-queue.js';
import { QueueQuery } from '../../portal/panel/panel-schemas.js';
import { WORD_IDS_CAP } from '../../portal/panel/queue-search.js';
import { loadStaff, type Staff } from '../../portal/panel/staff-rights.js';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { createDatabase } from '../harness/postgres.js';
import { freshPgliteDir } from '../harness/pglite-template.js';

// The queue's search and order as a dispatcher sees them, on both engines, with more tickets
// sharing a word than the word indexes hand out (so both ways of searching are used).
const engines = ['postgres', 'pglite'] as const;
const COMMON = WORD_IDS_CAP + 100;

describe.each(engines)('panel queue on %s', (engine) => {
  let db: Db;
  let staff: Staff;
  const list = (query: Record<string, string>) => listQueue(db, staff, QueueQuery.parse(query));
  const numbers = async (query: Record<string, string>) => (await list(query)).rows.map((r) => r.number);
  const numberOf = async (subject: string) =>
    (await db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0].number;

  beforeAll(async () => {
    db = await openDb({
      databaseUrl: engine === 'postgres' ? await createDatabase(process.env.TEST_DATABASE_URL!) : undefined,
      pgliteDir: freshPgliteDir(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-queue-')), 'pglite')),
    });
    await migrate(db);
    const [me] = await db.query<{ id: number }>("insert into employees (b24_user_id, name) values ('501', 'Olga') returning id");
    staff = (await loadStaff(db, me.id, { admins: [], restrictToDepartment: false }))!;
    // Old resolved tickets about the printer, one a minute, then a few special ones.
    await db.query(`insert into tickets (status, requester_email, requester_name, subject, created_at, updated_at, resolved_at)
      select 'resolved', 'user' || g || '@client.example', 'User ' || g, 'Printer jam ' || g,
             timestamptz '2026-01-01' + make_interval(mins => g), timestamptz '2026-01-01' + make_interval(mins => g), now()
        from generate_series(1, ${COMMON}) g`);
    const ticket = async (subject: string, o: { name?: string; email?: string; mine?: boolean; body?: string; at: string }) => {
      const [t] = await db.query<{ id: number }>(`insert into tickets (status, requester_email, requester_name, subject, assignee_id, created_at, updated_at)
        values ($1, $2, $3, $4, $5, $6, $6) returning id`,
      [o.mine ? 'in_progress' : 'new', o.email ?? 'someone@elsewhere.example', o.name ?? null, subject, o.mine ? me.id : null, o.at]);
      if (o.body) await db.query("insert into messages (ticket_id, direction, kind, body_text) values ($1, 'in', 'mail', $2)", [t.id, o.body]);
    };
    await ticket('Cannot sign in', { name: 'Anna Smirnova', email: 'Anna@Bank.example', at: '2026-02-01', body: 'The token generator shows an error' });
    await ticket('Invoice question', { mine: true, at: '2026-02-02', body: 'The printer prints the invoice twice' });
    await ticket('Mail is slow', { mine: true, at: '2026-02-03', body: 'Since Monday our E-Mail takes an Hour' });
  });
  afterAll(async () => { await db.close(); });

  test('all tickets, newest or oldest first', async () => {
    expect((await numbers({ view: 'all', status: 'any', sort: 'newest' })).slice(0, 2))
      .toEqual([await numberOf('Mail is slow'), await numberOf('Invoice question')]);
    expect((await numbers({ view: 'all', status: 'any', sort: 'oldest' }))[0]).toBe(await numberOf('Printer jam 1'));
  });

  test('my queue says how many it holds, also on a page past its end', async () => {
    expect(await list({ view: 'mine', status: 'open' })).toMatchObject({ total: 2, more: false });
    expect(await list({ view: 'mine', status: 'open', page: '3' })).toMatchObject({ rows: [], total: 2, more: false });
  });

  test('a rare word is found in a client mail, in all tickets and in my queue', async () => {
    expect(await numbers({ view: 'all', status: 'any', q: 'generator' })).toEqual([await numberOf('Cannot sign in')]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'hour' })).toEqual([await numberOf('Mail is slow')]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'e-mail HOUR' })).toEqual([await numberOf('Mail is slow')]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'email' })).toEqual([]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'generator' })).toEqual([]);
  });

  test('words are found across the subject and the mails of one ticket, never in an internal note', async () => {
    const invoice = await numberOf('Invoice question');
    // "question" is in the subject, "twice" in the client's mail.
    expect(await numbers({ view: 'all', status: 'any', q: 'question twice' })).toEqual([invoice]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'question twice' })).toEqual([invoice]);
    const [{ id }] = await db.query<{ id: number }>('select id from tickets where number = $1', [invoice]);
    await db.query("insert into messages (ticket_id, direction, kind, body_text) values ($1, 'note', 'note', 'Escalate to accounting')", [id]);
    expect(await numbers({ view: 'all', status: 'any', q: 'accounting' })).toEqual([]);
    expect(await numbers({ view: 'mine', status: 'open', q: 'accounting' })).toEqual([]);
  });

  test('the sender is found by a word of their name or by their address, any case', async () => {
    const anna = await numberOf('Cannot sign in');
    expect(await numbers({ view: 'all', status: 'any', q: 'smirnova' })).toEqual([anna]);
    expect(await numbers({ view: 'all', status: 'any', q: 'anna@bank.EXAMPLE' })).toEqual([anna]);
    expect(await numbers({ view: 'all', status: 'any', q: `#${anna}` })).toEqual([anna]);
  });

  test('a word shared by more tickets than the word index hands out: newest first, counted a few pages ahead', async () => {
    const page = await list({ view: 'all', status: 'any', sort: 'newest', q: 'printer' });
    // The mail of "Invoice question" mentions the printer; the rest say it in the subject.
    expect(page.rows.slice(0, 2).map((r) => r.subject)).toEqual(['Invoice question', `Printer jam ${COMMON}`]);
    expect(page.rows).toHaveLength(50);
    expect(page).toMatchObject({ total: 250, more: true });
    // The last page: 1,100 jams fill 22 pages, the invoice is alone on the 23rd.
    const last = await list({ view: 'all', status: 'any', sort: 'oldest', q: 'printer', page: '23' });
    expect(last.rows.map((r) => r.subject)).toEqual(['Invoice question']);
    expect(last).toMatchObject({ total: COMMON + 1, more: false });
    expect(await numbers({ view: 'mine', status: 'open', q: 'printer' })).toEqual([await numberOf('Invoice question')]);
  });
});
