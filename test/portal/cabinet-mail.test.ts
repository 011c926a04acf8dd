import { simpleParser } from 'mailparser';
import { activatedPerson, Browserish, makeClient, makeTicket, startCabinet, type Cabinet } from './cabinet-harness.js';

// Acme's director and an employee (bob) write; Globex's ticket is what they must not reach.
const t: Record<string, { id: number; number: number; messageId: number }> = {};
let cab: Cabinet;
let [director, employee]: Browserish[] = [];

beforeAll(async () => {
  cab = await startCabinet();
  const [acme, globex] = [await makeClient(cab.db, 'Acme Inc.', 'en'), await makeClient(cab.db, 'Globex', 'ru')];
  t.crm = await makeTicket(cab, { clientId: acme, from: 'boss@acme.example', subject: 'CRM import fails', reply: 'Which file?' });
  t.bob = await makeTicket(cab, { clientId: acme, from: 'bob@acme.example', subject: 'Calendar' });
  t.foreign = await makeTicket(cab, { clientId: globex, from: 'ivan@globex.example', subject: 'Globex secret',
    html: '<p>Hi</p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click me</a>' });
  t.hostile = await makeTicket(cab, { clientId: acme, from: 'boss@acme.example', subject: 'Hostile HTML',
    html: '<p>Hello <b>there</b></p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click me</a>'
      + '<a href="https://example.com/ok">fine link</a><img src="https://tracker.example/pixel.gif">' });
  director = await activatedPerson(cab, 'boss@acme.example', acme, 'director');
  employee = await activatedPerson(cab, 'bob@acme.example', acme, 'employee');
});
afterAll(async () => { await cab?.close(); });

const thread = async (b: Browserish, number: number) => (await b.call('GET', `/api/tickets/${number}`)).json.messages as Array<{ from: string; text: string }>;

test('a reply from the slide-over goes in as mail from the person, in the ticket\'s thread, with its files', async () => {
  const res = await director.call('POST', `/api/tickets/${t.crm.number}/replies`, {
    text: 'The file is attached.', attachments: [{ filename: 'export.csv', contentType: 'text/csv', contentBase64: Buffer.from('a;b\n1;2').toString('base64') }],
  });
  expect(res.status).toBe(202);
  const raw = await simpleParser(cab.intakeRaw.at(-1)!);
  expect(raw.from?.value[0].address).toBe('boss@acme.example');
  expect(raw.to && !Array.isArray(raw.to) && raw.to.value[0].address).toBe('support@modest.example');
  expect(raw.subject).toBe(`Re: [#${t.crm.number}] CRM import fails`);
  expect(raw.messageId).toBe(`<${res.json.messageId}>`);
  // The thread's Message-IDs, oldest first, and the latest (our reply) as the parent.
  const ids = await cab.db.query<{ message_id: string }>(`select message_id from messages where ticket_id = $1 and message_id <> $2 order by id`,
    [t.crm.id, res.json.messageId]);
  expect(raw.references).toEqual(ids.map((r) => `<${r.message_id}>`));
  expect(raw.inReplyTo).toBe(`<${ids[1].message_id}>`);
  expect(raw.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['export.csv', 'a;b\n1;2']]);

  const messages = await thread(director, t.crm.number);
  expect(messages.map((m) => [m.from, m.text])).toEqual([['client', 'Please help.'], ['support', 'Which file?'], ['client', 'The file is attached.']]);
  const detail = (await director.call('GET', `/api/tickets/${t.crm.number}`)).json;
  expect(detail.messages[2].attachments).toEqual([{ index: 0, filename: 'export.csv', size: 7, downloadable: true }]);
  // Threaded like mail: a reply opens no ticket and gets no acknowledgement.
  expect((await director.call('GET', '/api/tickets')).json.total).toBe(3);
});

test('a new request becomes a ticket of its own, acknowledged as mail would be', async () => {
  const res = await employee.call('POST', '/api/requests', { subject: 'Printer on the 3rd floor', text: 'It prints blank pages.' });
  expect(res.status).toBe(202);
  const list = (await employee.call('GET', '/api/tickets')).json;
  const row = list.rows.find((r: { subject: string }) => r.subject === 'Printer on the 3rd floor');
  expect(row).toMatchObject({ senderEmail: 'bob@acme.example', status: 'new' });
  const acks = await cab.db.query<{ kind: string; to_addresses: string[] }>(
    `select m.kind, m.to_addresses from messages m join tickets t on t.id = m.ticket_id where t.number = $1 and m.direction = 'out'`, [row.number]);
  expect(acks).toEqual([{ kind: 'ack', to_addresses: ['bob@acme.example'] }]);
  const [audit] = await cab.db.query<{ actor: string }>(`select actor from audit_log where action = 'cabinet_new_request' order by id desc limit 1`);
  expect(audit.actor).toBe('client:bob@acme.example');
});

test('replying to a ticket one may not see: 404 and nothing handed to the intake; no CSRF token: refused; signed out: 401', async () => {
  const before = cab.intakeRaw.length;
  expect((await director.call('POST', `/api/tickets/${t.foreign.number}/replies`, { text: 'peek' })).status).toBe(404);
  expect((await employee.call('POST', `/api/tickets/${t.crm.number}/replies`, { text: 'not mine' })).status).toBe(404);
  expect((await director.call('POST', `/api/tickets/${t.crm.number}/replies`, { text: 'forged' }, { csrf: false })).status).toBe(403);
  expect((await director.call('POST', '/api/requests', { subject: 'x', text: 'forged' }, { csrf: false })).status).toBe(403);
  expect((await new Browserish(cab.url).call('POST', '/api/requests', { subject: 'x', text: 'y' })).status).toBe(401);
  const empty = await director.call('POST', `/api/tickets/${t.crm.number}/replies`, { text: '   ' });
  expect(empty.status).toBe(400);
  expect(cab.intakeRaw.length).toBe(before);
});

test("a mail's HTML is served sanitized, under a policy that runs nothing and loads nothing", async () => {
  const detail = (await director.call('GET', `/api/tickets/${t.hostile.number}`)).json;
  expect(detail.messages[0].hasHtml).toBe(true);
  const res = await director.call('GET', `/api/tickets/${t.hostile.number}/messages/${t.hostile.messageId}/html`);
  expect(res.status).toBe(200);
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain('sandbox');
  expect(csp).not.toContain('allow-scripts');
  expect(res.text).toContain('Hello <b>there</b>');
  expect(res.text).not.toMatch(/<script|onerror|javascript:|tracker\.example/i);
  expect(res.text).toContain('<a href="https://example.com/ok" target="_blank" rel="noopener noreferrer">fine link</a>');
  expect((await director.call('GET', `/api/tickets/${t.foreign.number}/messages/${t.foreign.messageId}/html`)).status).toBe(404);
  expect((await director.call('GET', `/api/tickets/${t.hostile.number}/messages/${t.foreign.messageId}/html`)).status).toBe(404);
});
