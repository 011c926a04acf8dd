import { getStaffTicket } from '../../portal/panel/get-staff-ticket.js';
import { loadStaff, type Staff } from '../../portal/panel/staff-rights.js';
import { NotFoundError } from '../../portal/portal-errors.js';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { createDatabase } from '../harness/postgres.js';

// What the ticket page shows of a ticket with everything in it: the thread marked by who wrote
// it, attachments, the history with people's names, the time, and what the viewer may do.
describe('the panel\'s ticket page', () => {
  let db: Db;
  let olga: Staff;
  let number: number;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute, 0, 123));

  beforeAll(async () => {
    db = await openDb({ databaseUrl: await createDatabase(process.env.TEST_DATABASE_URL!), pgliteDir: '/nonexistent' });
    await migrate(db);
    const [dept] = await db.query<{ id: number }>("insert into departments (b24_id, name, is_support) values ('7', 'Line 1', true) returning id");
    const people = await db.query<{ id: number }>(`insert into employees (b24_user_id, name, department_id)
      values ('501', 'Olga', $1), ('502', 'Dev Ivan', null) returning id`, [dept.id]);
    const [me, dev] = people.map((p) => p.id);
    olga = (await loadStaff(db, me, { admins: [], restrictToDepartment: false }))!;
    const [client] = await db.query<{ id: number }>("insert into clients (company, language) values ('Bank', 'ru') returning id");
    const [t] = await db.query<{ id: number; number: number }>(`insert into tickets (status, client_id, requester_email, requester_name, subject,
        department_id, assignee_id, created_at, updated_at) values ('escalated', $1, 'anna@bank.example', 'Anna', 'Cannot sign in', $2, $3, $4, $4)
      returning id, number`, [client.id, dept.id, me, at(0)]);
    number = t.number;
    await db.query(`insert into messages (ticket_id, direction, kind, from_address, from_name, body_text, attachments, created_at) values
      ($1, 'in', 'mail', 'anna@bank.example', 'Anna', 'It fails', $2, $3)`,
    [t.id, JSON.stringify([{ filename: 'shot.png', size: 10, contentType: 'image/png', sha256: 'ab' }, { filename: 'big.zip', size: 99, contentType: 'application/zip' }]), at(1)]);
    await db.query(`insert into messages (ticket_id, direction, kind, body_text, author_employee_id, send_state, created_at) values
      ($1, 'out', 'reply', 'We look', $2, 'sent', $4), ($1, 'note', 'note', 'Found it', $3, null, $5), ($1, 'note', 'note', 'Asked Ivan', $2, null, $6)`,
    [t.id, me, dev, at(2), at(3), at(4)]);
    await db.query('insert into escalations (ticket_id, task_id, developer_id, specialist_id, created_at) values ($1, 77, $2, $3, $4)', [t.id, dev, me, at(3)]);
    await db.query(`insert into audit_log (ticket_id, actor, action, channel, details, created_at) values
      ($1, 'system', 'created', 'mail', '{}', $3), ($1, 'employee:' || $2, 'escalate', 'web', '{"task": 77}', $4)`, [t.id, me, at(0), at(3)]);
    await db.query('insert into time_entries (ticket_id, employee_id, minutes, billable) values ($1, $2, 20, true), ($1, $2, 15, false)', [t.id, me]);
  });
  afterAll(async () => { await db.close(); });

  test('shows the thread, attachments, history and time, and what its assignee may do', async () => {
    expect(await getStaffTicket(db, olga, number)).toEqual({
      number, status: 'escalated', subject: 'Cannot sign in', client: { id: expect.any(Number), company: 'Bank' },
      requester: 'Anna <anna@bank.example>', assignee: { id: olga.employee.id, name: 'Olga' }, department: 'Line 1',
      createdAt: at(0).toISOString(), minutes: 35,
      thread: [
        { id: expect.any(Number), kind: 'client', author: 'Anna', at: at(1).toISOString(), text: 'It fails', sendState: null, attachments: [
          { index: 0, filename: 'shot.png', size: 10, downloadable: true }, { index: 1, filename: 'big.zip', size: 99, downloadable: false }] },
        { id: expect.any(Number), kind: 'reply', author: 'Olga', at: at(2).toISOString(), text: 'We look', sendState: 'sent', attachments: [] },
        { id: expect.any(Number), kind: 'developer', author: 'Dev Ivan', at: at(3).toISOString(), text: 'Found it', sendState: null, attachments: [] },
        { id: expect.any(Number), kind: 'note', author: 'Olga', at: at(4).toISOString(), text: 'Asked Ivan', sendState: null, attachments: [] },
      ],
      history: [
        { at: at(0).toISOString(), action: 'created', channel: 'mail', actor: 'system', details: {} },
        { at: at(3).toISOString(), action: 'escalate', channel: 'web', actor: 'Olga', details: { task: 77 } },
      ],
      can: { reply: true, note: true, accept: false, close: true, escalate: false, assign: true },
    });
  });

  test('a number nobody has is not found', async () => {
    await expect(getStaffTicket(db, olga, number + 1000)).rejects.toBeInstanceOf(NotFoundError);
  });
});
