import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { insertClient } from '../../tickets/store/client-repo.js';
import { getTicket, transitionTicket } from '../../tickets/store/ticket-repo.js';
import { listAudit } from '../../tickets/store/audit-repo.js';
import { insertTimeEntry, listMessages } from '../../tickets/store/message-repo.js';
import { recordInboundMails } from '../../tickets/record-inbound-mails.js';
import type { InboundMail } from '../../tickets/types.js';
import { createDatabase } from '../harness/postgres.js';
import { freshPgliteDir } from '../harness/pglite-template.js';
import { recordOptions } from '../harness/record-options.js';

const engines = ['pglite', 'postgres'] as const;
let seq = 0;

/** A parsed client mail; `parent` is its In-Reply-To, `refs` its References. */
function mail(o: { id: string; subject?: string; from?: string; parent?: string; refs?: string[]; attachment?: string }): InboundMail {
  return {
    dedupeKey: `mid:${o.id}`, messageId: o.id, inReplyTo: o.parent ?? null, references: o.refs ?? (o.parent ? [o.parent] : []),
    from: { address: o.from ?? 'olga@thread.example', name: 'Olga' }, to: ['support@modest.example'], cc: [],
    subject: o.subject ?? 'Printer', text: `text of ${o.id}`, html: null,
    attachments: o.attachment ? [{ filename: o.attachment, contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) }] : [],
    rawSha256: String(++seq).padStart(64, '0'), rawRef: null, autoKind: null, unparsed: false, parseError: null,
  };
}

describe.each(engines)('threads that hold, on %s', (engine) => {
  let db: Db;
  const opts = recordOptions({ now: new Date('2026-11-23T10:00:00Z') });
  const record = (mails: InboundMail[]) =>
    recordInboundMails(db, mails.map((m) => ({ mail: m, source: { key: `test:${m.messageId}:${++seq}`, mailbox: 'box' } })), opts);
  const ticketsOf = async (ids: string[]) => (await db.query<{ ticket_id: number }>(
    'select distinct ticket_id from messages where message_id = any($1)', [ids])).map((r) => r.ticket_id);
  const acksOn = async (ticketIds: number[]) => (await db.query<{ send_state: string | null }>(
    `select send_state from messages where kind = 'ack' and ticket_id = any($1) order by id`, [ticketIds])).map((r) => r.send_state);

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-thread-'));
    db = await openDb({
      databaseUrl: engine === 'postgres' ? await createDatabase(process.env.TEST_DATABASE_URL!) : undefined,
      pgliteDir: freshPgliteDir(path.join(dir, 'pglite')), poolSize: 20,
    });
    await migrate(db);
    await insertClient(db, { company: 'Thread Co', language: 'ru', domains: ['thread.example'] });
  });
  afterAll(async () => { await db.close(); });

  test('an original arriving after its reply joins the ticket the reply opened: one ticket, one acknowledgement', async () => {
    const [reply] = await record([mail({ id: 'r1@thread.example', subject: 'Re: Printer', parent: 'o1@thread.example' })]);
    expect(reply.createdTicket).toBe(true);
    expect(reply.ticket.subject).toBe('Re: Printer');
    const [original] = await record([mail({ id: 'o1@thread.example', subject: 'Printer' })]);
    expect(original).toMatchObject({ createdTicket: false, ackRowId: null, merged: [] });
    expect(original.ticket.id).toBe(reply.ticket.id);
    // The ticket is titled as the thread began.
    expect(original.ticket.subject).toBe('Printer');
    expect(await acksOn([reply.ticket.id])).toEqual(['pending']);
  });

  test('a reply and its original in one slice, the reply first: one new ticket, opened by the original, one acknowledgement', async () => {
    const results = await record([
      mail({ id: 'r2@thread.example', subject: 'Re: Scanner', parent: 'o2@thread.example' }), mail({ id: 'o2@thread.example', subject: 'Scanner' })]);
    expect(results.map((r) => r.createdTicket)).toEqual([false, true]);
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(results[1].ticket.subject).toBe('Scanner');
    expect(results.filter((r) => r.ackRowId !== null)).toHaveLength(1);
  });

  test('the original links a ticket the early reply opened to the thread\'s ticket: merged with its mail, attachments, time and audit', async () => {
    const [root] = await record([mail({ id: 'm1@thread.example', subject: 'Mail server down' })]);
    // m3 names only its parent m2, which has not arrived: it opens a ticket of its own.
    const [early] = await record([mail({ id: 'm3@thread.example', subject: 'Re: Mail server down', parent: 'm2@thread.example', attachment: 'log.pdf' })]);
    expect(early.ticket.id).not.toBe(root.ticket.id);
    const [anna, ivan] = await db.query<{ id: number }>(`insert into employees (b24_user_id, name) values ('901', 'Anna'), ('902', 'Ivan') returning id`);
    for (const [t, e] of [[root.ticket.id, anna.id], [early.ticket.id, ivan.id]]) {
      await db.transaction((tx) => transitionTicket(tx, t, { event: 'assign', actor: 'system', channel: 'system', at: opts.now, set: { assigneeId: e } }));
    }
    await insertTimeEntry(db, { ticketId: early.ticket.id, employeeId: ivan.id, minutes: 25, billable: true, at: opts.now });

    const [bridge] = await record([mail({ id: 'm2@thread.example', subject: 'Re: Mail server down', parent: 'm1@thread.example' })]);
    expect(bridge.ticket.id).toBe(root.ticket.id);
    expect(bridge.merged).toEqual([early.ticket.number]);
    // The survivor keeps its assignee; the absorbed ticket ends merged, pointing at it.
    expect(await getTicket(db, root.ticket.id)).toMatchObject({ status: 'assigned', assigneeId: anna.id });
    expect(await getTicket(db, early.ticket.id)).toMatchObject({ status: 'merged', mergedInto: root.ticket.id, assigneeId: ivan.id });
    const messages = await listMessages(db, root.ticket.id);
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.messageId))
      .toEqual(['m1@thread.example', 'm3@thread.example', 'm2@thread.example']);
    expect(messages.find((m) => m.messageId === 'm3@thread.example')!.attachments).toEqual([expect.objectContaining({ filename: 'log.pdf' })]);
    expect(await listMessages(db, early.ticket.id)).toEqual([]);
    const [{ minutes }] = await db.query<{ minutes: number }>('select sum(minutes)::int as minutes from time_entries where ticket_id = $1', [root.ticket.id]);
    expect(minutes).toBe(25);
    // Its own trail stays; both trails tell of the merge.
    expect((await listAudit(db, early.ticket.id)).map((a) => a.action)).toEqual(['created', 'assign', 'merge']);
    expect((await listAudit(db, root.ticket.id)).map((a) => a.action)).toEqual(['created', 'assign', 'mail_received', 'merged_in']);
    // The early ticket's acknowledgement was not sent yet: it never will be (one per thread).
    expect(await acksOn([root.ticket.id])).toEqual(['pending', null]);
    // Nor does the thread show its text; the survivor's search vector holds what its mails say.
    expect((await listMessages(db, root.ticket.id)).filter((m) => m.kind === 'ack').map((m) => m.bodyText === null)).toEqual([false, true]);
    const [{ off }] = await db.query<{ off: number }>('select count(*)::int as off from tickets where search is distinct from ticket_search(id, subject)');
    expect(off).toBe(0);

    // Its number still leads to the thread.
    const [tagged] = await record([mail({ id: 'm4@thread.example', subject: `Re: [#${early.ticket.number}] Mail server down` })]);
    expect(tagged.ticket.id).toBe(root.ticket.id);
  });

  test('a 100-mail thread in single-mail slices and small slices, all in flight at once and out of order, ends on one ticket', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `long-${i}@thread.example`);
    // Most mailers name only the parent; some keep a few ancestors.
    const mails = ids.map((id, i) => mail({
      id, subject: i === 0 ? 'Long thread' : 'Re: Long thread', parent: i > 0 ? ids[i - 1] : undefined,
      refs: i > 0 && i % 3 === 0 ? ids.slice(Math.max(0, i - 3), i) : undefined,
    }));
    const shuffled = [...mails].sort(() => Math.random() - 0.5);
    const slices: InboundMail[][] = [];
    for (let i = 0; i < shuffled.length;) { const n = 1 + (i % 4 === 0 ? 3 : 0); slices.push(shuffled.slice(i, i + n)); i += n; }
    await Promise.all(slices.map((s) => record(s)));
    const tickets = await ticketsOf(ids);
    expect(tickets).toHaveLength(1);
    const [{ open }] = await db.query<{ open: number }>(
      `select count(*)::int as open from tickets where status <> 'merged' and id in (select ticket_id from audit_log where details->>'messageRowId' in
        (select id::text from messages where message_id = any($1)))`, [ids]);
    expect(open).toBe(1);
    expect((await acksOn(tickets)).filter((s) => s === 'pending')).toHaveLength(1);
  });
});
