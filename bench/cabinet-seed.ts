// The cabinet benchmark's data, made by PostgreSQL itself (generate_series), so a million
// tickets take minutes, not hours: clients, their tickets (one client far larger than the
// rest), one client mail each with words to search for, the audit line that opens each, and
// cabinet accounts to sign in with.
import type { Db } from '../tickets/store/db.js';

export interface CabinetSeed {
  tickets: number;
  clients: number;
  /** Tickets of client 1, the largest; the others share the rest evenly. */
  largest: number;
}

/** Sender addresses per client: the sender filter and the employees' scopes. */
export const SENDERS_PER_CLIENT = 20;

// Words are syllable triples: 20 × 20 × 5 = 2,000 distinct words, as a support mailbox has
// a vocabulary of a few thousand; a word then stands in about 1 % of the mails and in 0.3 %
// of the subjects, which is what a search for "принтер" or "1С" meets in a real desk.
const SYLLABLES = `array['ка','ло','ми','ну','ре','са','ти','во','до','же','зи','ко','лу','ма','не','по','ру','се','та','фо']`;
export const wordSql = (n: string) => `(${SYLLABLES})[1 + (${n}) % 20] || (${SYLLABLES})[1 + ((${n}) / 20) % 20] || (array['р','н','т','с','л'])[1 + ((${n}) / 400) % 5]`;

/** The n-th word of the vocabulary, as the SQL above spells it. */
export function word(n: number): string {
  const syl = ['ка', 'ло', 'ми', 'ну', 'ре', 'са', 'ти', 'во', 'до', 'же', 'зи', 'ко', 'лу', 'ма', 'не', 'по', 'ру', 'се', 'та', 'фо'];
  return syl[n % 20] + syl[Math.floor(n / 20) % 20] + ['р', 'н', 'т', 'с', 'л'][Math.floor(n / 400) % 5];
}

/** The text of ticket `id`'s one mail: 24 words of the vocabulary. */
const BODY = (id: string) => `(select string_agg(${wordSql(`${id} * 17 + k * 101`)}, ' ') from generate_series(1, 24) k)`;

const STATUSES = `array['new','assigned','in_progress','escalated','awaiting_time','resolved','resolved','resolved','resolved','rejected']`;

/**
 * Seeds into a fresh, migrated database. The big indexes are dropped first and built again
 * at the end from their own definitions (one sort each instead of a million inserts into them).
 */
export async function seedCabinet(db: Db, s: CabinetSeed, passwordHash: string, log: (m: string) => void): Promise<void> {
  const indexes = await db.query<{ indexname: string; indexdef: string }>(`select indexname, indexdef from pg_indexes
    where tablename in ('tickets', 'messages', 'audit_log') and indexname not like '%pkey' and indexdef not like 'CREATE UNIQUE%'`);
  for (const i of indexes) await db.query(`drop index ${i.indexname}`);
  await db.query(`insert into clients (id, company, language) select g, 'Client ' || g, case when g % 3 = 0 then 'en' else 'ru' end
    from generate_series(1, ${s.clients}) g`);
  await db.query(`select setval('clients_id_seq', ${s.clients})`);
  const others = s.clients - 1;
  // Ticket g: the first `largest` belong to client 1; the rest go round the other clients.
  // The triggers of migration 021 would update a ticket per mail: its search vector is
  // computed here, from the subject and the one mail's text, as ticket_search() would.
  await db.query('alter table tickets disable trigger user');
  await db.query('alter table messages disable trigger user');
  await db.query(`insert into tickets (id, number, status, client_id, requester_email, requester_name, subject, created_at, updated_at, closed_at, search)
    select g, 100000 + g, st, c, 'user' || (g % ${SENDERS_PER_CLIENT}) || '@c' || c || '.example', 'User ' || (g % ${SENDERS_PER_CLIENT}),
      subject, at, at + interval '3 hours',
      case when st in ('resolved', 'awaiting_time', 'rejected') then at + interval '3 hours' end,
      strip(to_tsvector('simple', subject || ' ' || ${BODY('g')}))
    from (select g, ${wordSql('g * 7')} || ' ' || ${wordSql('g * 13 + 5')} || ' ' || ${wordSql('g * 31 + 11')} as subject, case when g <= ${s.largest} then 1 else 2 + (g - ${s.largest}) % ${others} end as c,
            (${STATUSES})[1 + g % 10] as st, now() - (g % 730) * interval '1 day' - (g % 1440) * interval '1 minute' as at
          from generate_series(1, ${s.tickets}) g) x`);
  await db.query(`select setval('tickets_id_seq', ${s.tickets}), setval('ticket_number_seq', ${100000 + s.tickets})`);
  log(`tickets inserted`);
  // One client mail per ticket, 24 words of the vocabulary.
  await db.query(`insert into messages (ticket_id, direction, kind, dedupe_key, message_id, from_address, subject, body_text, created_at)
    select t.id, 'in', 'mail', 'mid:b' || t.id || '@bench', 'b' || t.id || '@bench', t.requester_email, t.subject,
      ${BODY('t.id')}, t.created_at
    from tickets t`);
  await db.query('alter table tickets enable trigger user');
  await db.query('alter table messages enable trigger user');
  log(`messages inserted`);
  await db.query(`insert into audit_log (ticket_id, actor, action, channel, created_at) select id, 'client:' || requester_email, 'created', 'mail', created_at from tickets`);
  await db.query(`insert into time_entries (ticket_id, minutes, billable, created_at) select id, 15 + id % 120, true, closed_at from tickets where closed_at is not null`);
  for (const i of indexes) {
    const t = Date.now();
    await db.query(i.indexdef);
    log(`index ${i.indexname} built in ${Math.round((Date.now() - t) / 1000)} s`);
  }
  // Directors of every client and an employee (user0) each: the sessions sign in as some of them.
  await db.query(`insert into portal_users (client_id, email, name, role, language, password_hash, invited_by, activated_at)
    select c, 'director@c' || c || '.example', 'Director ' || c, 'director', 'ru', $1, 'operator:bench', now() from generate_series(1, ${s.clients}) c
    union all
    select c, 'user0@c' || c || '.example', 'User 0', 'employee', 'ru', $1, 'operator:bench', now() from generate_series(1, ${s.clients}) c`, [passwordHash]);
  await db.query('vacuum analyze');
}
