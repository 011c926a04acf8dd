import { activatedPerson, Browserish, makeClient, makeTicket, startCabinet, type Cabinet } from './cabinet-harness.js';

let cab: Cabinet;
let acme: number;
let globex: number;
let director: Browserish;
let employee: Browserish;
const t: Record<string, { id: number; number: number; messageId: number }> = {};

const activated = (email: string, clientId: number, role: 'director' | 'employee') => activatedPerson(cab, email, clientId, role);

beforeAll(async () => {
  cab = await startCabinet();
  acme = await makeClient(cab.db, 'Acme Inc.', 'en');
  globex = await makeClient(cab.db, 'Globex', 'ru');
  t.crm = await makeTicket(cab, {
    clientId: acme, from: 'anna@acme.example', fromName: 'Anna', subject: 'CRM import fails', text: 'The 1C exchange stopped overnight.',
    status: 'resolved', createdAt: new Date('2026-10-05T10:00:00Z'), reply: 'Fixed the exchange schedule.', note: 'INTERNAL: blame the cron',
    minutes: 95, attachment: { filename: 'log.txt', content: Buffer.from('exchange log') },
  });
  t.calendar = await makeTicket(cab, { clientId: acme, from: 'bob@acme.example', subject: 'Calendar does not sync', status: 'in_progress', createdAt: new Date('2026-11-10T10:00:00Z') });
  t.mail = await makeTicket(cab, { clientId: acme, from: 'anna@acme.example', subject: 'Mailbox quota', text: 'Our mailbox is full of invoices', createdAt: new Date('2026-11-20T10:00:00Z') });
  t.foreign = await makeTicket(cab, { clientId: globex, from: 'ivan@globex.example', subject: 'Globex secret', createdAt: new Date('2026-11-21T10:00:00Z'),
    attachment: { filename: 'secret.pdf', content: Buffer.from('globex only') } });
  director = await activated('boss@acme.example', acme, 'director');
  employee = await activated('anna@acme.example', acme, 'employee');
});
afterAll(async () => { await cab?.close(); });

const numbers = (res: { json: { rows: Array<{ number: number }> } }) => res.json.rows.map((r) => r.number);

test('a director sees every ticket of the company and none of another company', async () => {
  const res = await director.call('GET', '/api/tickets');
  expect(res.status).toBe(200);
  expect(numbers(res)).toEqual([t.mail.number, t.calendar.number, t.crm.number]);
  expect(res.json.total).toBe(3);
  const crm = res.json.rows.find((r: { number: number }) => r.number === t.crm.number);
  expect(crm).toMatchObject({ subject: 'CRM import fails', status: 'resolved', senderEmail: 'anna@acme.example', minutesSpent: 95 });
  expect(res.json.rows.find((r: { number: number }) => r.number === t.calendar.number).minutesSpent).toBeNull();
  expect(res.json.senders.map((s: { email: string }) => s.email)).toEqual(['anna@acme.example', 'bob@acme.example']);
});

test('an employee sees only the tickets they sent', async () => {
  expect(numbers(await employee.call('GET', '/api/tickets'))).toEqual([t.mail.number, t.crm.number]);
  expect((await employee.call('GET', `/api/tickets/${t.calendar.number}`)).status).toBe(404);
});

test("another company's ticket, its attachment, or a number that does not exist: 404, the same answer", async () => {
  const foreign = await director.call('GET', `/api/tickets/${t.foreign.number}`);
  expect(foreign.status).toBe(404);
  expect(foreign.json.error.code).toBe('not_found');
  expect((await director.call('GET', '/api/tickets/99999999')).json).toEqual({ error: { code: 'not_found', message: 'ticket 99999999 not found' } });
  expect((await director.call('GET', `/api/tickets/${t.foreign.number}/messages/${t.foreign.messageId}/attachments/0`)).status).toBe(404);
  // Our own ticket's number with the other company's message id: still nothing.
  expect((await director.call('GET', `/api/tickets/${t.crm.number}/messages/${t.foreign.messageId}/attachments/0`)).status).toBe(404);
  expect(numbers(await director.call('GET', `/api/tickets?q=${t.foreign.number}`))).toEqual([]);
});

test('signed out: 401 for the list, a ticket and an attachment', async () => {
  const anon = new Browserish(cab.url);
  expect((await anon.call('GET', '/api/tickets')).status).toBe(401);
  expect((await anon.call('GET', `/api/tickets/${t.crm.number}`)).status).toBe(401);
  expect((await anon.call('GET', `/api/tickets/${t.crm.number}/messages/${t.crm.messageId}/attachments/0`)).status).toBe(401);
});

test('the thread shows client mail and our replies, never internal notes, with attachments and the status history', async () => {
  const res = await director.call('GET', `/api/tickets/${t.crm.number}`);
  expect(res.status).toBe(200);
  expect(res.json.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
    ['client', 'The 1C exchange stopped overnight.'], ['support', 'Fixed the exchange schedule.']]);
  expect(res.text).not.toContain('INTERNAL');
  expect(res.json.messages[0].attachments).toEqual([{ index: 0, filename: 'log.txt', size: 12, downloadable: true }]);
  expect(res.json.history.map((h: { status: string }) => h.status)).toEqual(['new', 'resolved']);
  const file = await director.call('GET', `/api/tickets/${t.crm.number}/messages/${t.crm.messageId}/attachments/0`);
  expect(file.status).toBe(200);
  expect(file.text).toBe('exchange log');
  expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="?log\.txt"?/);
  expect((await employee.call('GET', `/api/tickets/${t.crm.number}/messages/${t.crm.messageId}/attachments/0`)).text).toBe('exchange log');
});

test('filters: status, period, sender, search by number and by words; paging and sorting on the server', async () => {
  expect(numbers(await director.call('GET', '/api/tickets?status=in_progress'))).toEqual([t.calendar.number]);
  expect(numbers(await director.call('GET', '/api/tickets?from=2026-11-01&to=2026-11-15'))).toEqual([t.calendar.number]);
  expect(numbers(await director.call('GET', '/api/tickets?sender=anna@acme.example'))).toEqual([t.mail.number, t.crm.number]);
  expect(numbers(await director.call('GET', `/api/tickets?q=%23${t.crm.number}`))).toEqual([t.crm.number]);
  expect(numbers(await director.call('GET', '/api/tickets?q=calendar'))).toEqual([t.calendar.number]);
  // Words of the mail body, not only of the subject.
  expect(numbers(await director.call('GET', '/api/tickets?q=invoices'))).toEqual([t.mail.number]);
  expect(numbers(await director.call('GET', '/api/tickets?sort=number&dir=asc'))).toEqual([t.crm.number, t.calendar.number, t.mail.number]);
  const p2 = await director.call('GET', '/api/tickets?sort=number&dir=asc&perPage=2&page=2');
  expect(numbers(p2)).toEqual([t.mail.number]);
  expect(p2.json).toMatchObject({ total: 3, more: false, page: 2, perPage: 2 });
  expect(numbers(await director.call('GET', '/api/tickets?sort=number&dir=desc&sender=anna@acme.example'))).toEqual([t.mail.number, t.crm.number]);
  const bad = await director.call('GET', '/api/tickets?status=bogus&perPage=1000');
  expect(bad.status).toBe(400);
  expect(bad.json.error.code).toBe('invalid_input');
});

test('search by words: the subject and every mail both ways, kept as the thread changes; never internal notes', async () => {
  const words = async (q: string) => numbers(await director.call('GET', `/api/tickets?q=${encodeURIComponent(q)}`));
  expect(await words('schedule')).toEqual([t.crm.number]); // our reply
  expect(await words('blame')).toEqual([]); // the internal note
  expect(await words('quota invoices')).toEqual([t.mail.number]); // one word of the subject, one of the mail
  await cab.db.query(`insert into messages (ticket_id, direction, kind, body_text, message_id) values ($1, 'in', 'mail', 'The printer jams too', 'late@test')`,
    [t.calendar.id]);
  expect(await words('printer')).toEqual([t.calendar.number]);
  await cab.db.query(`update messages set body_text = 'The scanner jams too' where message_id = 'late@test'`);
  expect(await words('printer')).toEqual([]);
  expect(await words('scanner')).toEqual([t.calendar.number]);
  // Moved to another ticket (as a thread merge does), then gone.
  await cab.db.query(`update messages set ticket_id = $1 where message_id = 'late@test'`, [t.mail.id]);
  expect(await words('scanner')).toEqual([t.mail.number]);
  await cab.db.query(`delete from messages where message_id = 'late@test'`);
  expect(await words('scanner')).toEqual([]);
  await cab.db.query(`update tickets set subject = 'Calendar and scanner' where id = $1`, [t.calendar.id]);
  expect(await words('scanner')).toEqual([t.calendar.number]);
  await cab.db.query(`update tickets set subject = 'Calendar does not sync' where id = $1`, [t.calendar.id]);
});

test('a large company: the total stops at 1000 and says there are more, every page still loads, words are found', async () => {
  const big = await makeClient(cab.db, 'Initech', 'en');
  // More than the 2,000 a search looks through row by row: this one goes through the GIN index.
  await cab.db.query(`insert into tickets (status, client_id, requester_email, subject)
    select 'new', $1, 'x@initech.example', 'Ticket ' || g from generate_series(1, 2001) g`, [big]);
  const boss = await activated('boss@initech.example', big, 'director');
  expect((await boss.call('GET', '/api/tickets?perPage=100')).json).toMatchObject({ total: 1000, more: true });
  const last = await boss.call('GET', '/api/tickets?perPage=100&page=21');
  expect(last.json.rows.map((r: { subject: string }) => r.subject)).toEqual(['Ticket 1']);
  const found = await boss.call('GET', '/api/tickets?q=ticket%201777');
  expect(found.json).toMatchObject({ total: 1, more: false });
  expect(found.json.rows[0].subject).toBe('Ticket 1777');
  expect((await boss.call('GET', '/api/tickets?q=ticket')).json).toMatchObject({ total: 1000, more: true });
  // Found by words: the last page's rows, and past it the count alone.
  const lastFound = await boss.call('GET', '/api/tickets?q=ticket&sort=number&dir=asc&perPage=100&page=21');
  expect(lastFound.json).toMatchObject({ total: 1000, more: true });
  expect(lastFound.json.rows.map((r: { subject: string }) => r.subject)).toEqual(['Ticket 2001']);
  expect((await boss.call('GET', '/api/tickets?q=ticket&perPage=100&page=22')).json).toMatchObject({ rows: [], total: 1000, more: true });
  expect((await director.call('GET', '/api/tickets?q=ticket')).json.total).toBe(0);
});
