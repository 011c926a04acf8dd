import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { findClientBySender, insertClient } from '../../tickets/store/client-repo.js';
import { getTicket, insertTicket, transitionTicket } from '../../tickets/store/ticket-repo.js';
import { listAudit } from '../../tickets/store/audit-repo.js';
import { recordInboundMails } from '../../tickets/record-inbound-mails.js';
import { markMessageSent } from '../../tickets/store/message-repo.js';
import { IllegalTransitionError } from '../../tickets/errors.js';
import type { InboundMail } from '../../tickets/types.js';
import { createDatabase } from '../harness/postgres.js';
import { freshPgliteDir } from '../harness/pglite-template.js';
import { recordOptions } from '../harness/record-options.js';

const engines = ['pglite', 'postgres'] as const;

describe.each(engines)('ticket store on %s', (engine) => {
  let db: Db;
  const now = new Date('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-store-'));
    db = await openDb({
      databaseUrl: engine === 'postgres' ? await createDatabase(process.env.TEST_DATABASE_URL!) : undefined,
      pgliteDir: freshPgliteDir(path.join(dir, 'pglite')),
    });
    await migrate(db);
  });
  afterAll(async () => { await db.close(); });

  test('migrations apply once: a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  test('tickets get human sequential numbers starting at 1000', async () => {
    const a = await insertTicket(db, { clientId: null, requesterEmail: 'a@x.example', requesterName: null, subject: 'A', unparsed: false }, now);
    const b = await insertTicket(db, { clientId: null, requesterEmail: 'b@x.example', requesterName: null, subject: 'B', unparsed: false }, now);
    expect(a.number).toBe(1000);
    expect(b.number).toBe(1001);
    expect(a.status).toBe('new');
  });

  test('a client is found by contact address first, then by mail domain', async () => {
    const byDomain = await insertClient(db, { company: 'Domain Co', language: 'ru', domains: ['shared.example'] });
    const byContact = await insertClient(db, { company: 'Contact Co', language: 'en', contacts: [{ email: 'Boss@Shared.example' }] });
    expect((await findClientBySender(db, 'boss@shared.example'))?.id).toBe(byContact.id);
    expect((await findClientBySender(db, 'someone@SHARED.example'))?.id).toBe(byDomain.id);
    expect(await findClientBySender(db, 'x@unknown.example')).toBeNull();
  });

  test('transitions set the stage time and write the audit trail; illegal ones change nothing', async () => {
    const t = await insertTicket(db, { clientId: null, requesterEmail: null, requesterName: null, subject: 'T', unparsed: false }, now);
    const [emp] = await db.query<{ id: number }>(
      `insert into employees (b24_user_id, name) values ('77', 'Olga') returning id`);
    const at = new Date('2026-11-23T10:42:00Z');
    const assigned = await db.transaction((tx) => transitionTicket(tx, t.id, {
      event: 'assign', actor: `employee:${emp.id}`, channel: 'bot', at, set: { assigneeId: emp.id } }));
    expect(assigned).toMatchObject({ status: 'assigned', assigneeId: emp.id, assignedAt: at });
    await expect(db.transaction((tx) => transitionTicket(tx, t.id, { event: 'record_time', actor: 'system', channel: 'system', at })))
      .rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await getTicket(db, t.id)).status).toBe('assigned');
    expect(await listAudit(db, t.id)).toEqual([
      expect.objectContaining({ action: 'assign', actor: `employee:${emp.id}`, channel: 'bot', details: { from: 'new', to: 'assigned' } }),
    ]);
  });

  test('the same mail recorded twice, even concurrently, is stored once', async () => {
    const mail: InboundMail = {
      dedupeKey: 'mid:twice@x.example', messageId: 'twice@x.example', inReplyTo: null, references: [],
      from: { address: 'c@x.example', name: null }, to: [], cc: [], subject: 'Twice', text: 'body', html: null,
      attachments: [], rawSha256: 'f'.repeat(64), rawRef: null, autoKind: null, unparsed: false, parseError: null,
    };
    const opts = recordOptions({ now });
    const results = (await Promise.all([1, 2, 3].map((i) =>
      recordInboundMails(db, [{ mail, source: { key: `imap:box:1:${i}`, mailbox: 'box' } }], opts)))).flat();
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from tickets where subject = 'Twice'`);
    expect(n).toBe(1);
    const receipts = await db.query(`select source_key from mail_receipts where mailbox = 'box'`);
    expect(receipts).toHaveLength(3);
  });

  test('a slice of mails: each ticket finds the words of its own mails and of its acknowledgement, written with it and sent as written; each is announced', async () => {
    const mail = (n: number, text: string, extra: Partial<InboundMail> = {}): InboundMail => ({
      dedupeKey: `mid:words${n}@x.example`, messageId: `words${n}@x.example`, inReplyTo: null, references: [],
      from: { address: `w${n}@x.example`, name: null }, to: [], cc: [], subject: `Words ${n}`, text, html: null,
      attachments: [], rawSha256: String(n).repeat(64).slice(0, 64), rawRef: null, autoKind: null, unparsed: false, parseError: null, ...extra,
    });
    const opts = recordOptions({ defaultLanguage: 'en', now });
    const announced: string[] = [];
    const unlisten = await db.listen('modest_ticket', (n) => announced.push(n));
    const results = await recordInboundMails(db, [
      { mail: mail(1, 'The printer jams'), source: { key: 'imap:words:1:1', mailbox: 'words' } },
      { mail: mail(2, 'Scanner offline'), source: { key: 'imap:words:1:2', mailbox: 'words' } },
      { mail: mail(3, 'Printer toner too', { inReplyTo: 'words1@x.example', references: ['words1@x.example'], from: { address: 'w1@x.example', name: null } }),
        source: { key: 'imap:words:1:3', mailbox: 'words' } },
    ], opts);
    const [first, second] = [results[0].ticket, results[1].ticket];
    expect(results[2].ticket.id).toBe(first.id);
    const found = async (words: string) => (await db.query<{ number: number }>(
      `select number from tickets where search @@ plainto_tsquery('simple', $1) order by number`, [words])).map((r) => r.number);
    expect(await found('printer jams toner')).toEqual([first.number]);
    expect(await found('scanner')).toEqual([second.number]);
    expect(await found('words 2')).toEqual([second.number]); // the subject
    // The acknowledgements (the third mail opened no ticket, so it has none) are written with their text.
    const [ack] = await db.query<{ subject: string; body_text: string }>('select subject, body_text from messages where id = $1', [results[1].ackRowId]);
    expect(ack).toEqual({ subject: `[#${second.number}] Words 2`, body_text: expect.stringContaining(`registered as ticket #${second.number}: "Words 2"`) });
    expect(await found('registered')).toEqual([first.number, second.number]);
    // Each vector is what migration 021 defines: the subject's words and those of every mail both ways.
    const off = async () => (await db.query<{ off: number }>('select count(*)::int as off from tickets where search is distinct from ticket_search(id, subject)'))[0].off;
    expect(await off()).toBe(0);
    // Sent with other words (its ticket was renamed before it went), it brings those.
    await markMessageSent(db, results[1].ackRowId!, { subject: `[#${second.number}] Words 2`, bodyText: 'Your request is filed' }, now);
    expect(await found('filed')).toEqual([second.number]);
    expect(await found('scanner offline')).toEqual([second.number]);
    expect(await off()).toBe(0);
    await new Promise((r) => setTimeout(r, engine === 'postgres' ? 300 : 50));
    await unlisten();
    expect(new Set(announced)).toEqual(new Set([String(first.number), String(second.number)]));
  });

  test('time entries must be positive minutes', async () => {
    const t = await insertTicket(db, { clientId: null, requesterEmail: null, requesterName: null, subject: 'Time', unparsed: false }, now);
    await db.query('insert into time_entries (ticket_id, minutes, billable) values ($1, 80, true)', [t.id]);
    await expect(db.query('insert into time_entries (ticket_id, minutes, billable) values ($1, 0, true)', [t.id])).rejects.toThrow();
  });
});
