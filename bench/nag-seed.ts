// The backlog bench:nag reminds about, inserted set-based: a handful of statements whatever N is.
import type { Db } from '../tickets/store/db.js';

export interface NagBacklog {
  /** Tickets in 'new', all waiting longer than any reminder interval. */
  unassigned: number;
  /** Tickets in 'awaiting_time', spread round-robin over `assignees`. */
  missingTime: number;
  /** Bitrix24 user ids of real portal users, with the language their reminder is in. */
  assignees: Array<{ b24UserId: number; language: 'ru' | 'en' }>;
  /** Every ticket is older than this. */
  now: Date;
}

const CLIENTS = 200;

/**
 * Each ticket gets its first inbound mail (the reminder shows its excerpt), already announced
 * (`bot_pending` false), so the bot's only work is the reminders.
 */
export async function seedNagBacklog(db: Db, b: NagBacklog): Promise<void> {
  await db.query(
    `insert into clients (company, language)
     select 'Client ' || g || ' LLC', case when g % 4 = 0 then 'en' else 'ru' end from generate_series(1, $1) g`, [CLIENTS]);
  // syncDirectory later fills in the names and departments from the portal, keyed by b24_user_id.
  await db.query(
    `insert into employees (b24_user_id, name, language)
     select a.b24_user_id, 'User ' || a.b24_user_id, a.language
       from jsonb_to_recordset($1::jsonb) as a(b24_user_id text, language text)`,
    [JSON.stringify(b.assignees.map((a) => ({ b24_user_id: String(a.b24UserId), language: a.language })))]);
  // Unassigned: one every 3 minutes going back from an hour ago, so the oldest has waited ~3 weeks at 10,000.
  await insertTickets(db, `
    select 'new', null::bigint, $2::timestamptz - interval '1 hour' - g * interval '3 minutes', null::timestamptz
      from generate_series(1, $1) g`, [b.unassigned, b.now]);
  // Closed without time: closed in the last few hours, created a day or two before that.
  await insertTickets(db, `
    select 'awaiting_time', e.ids[1 + g % cardinality(e.ids)],
           $2::timestamptz - interval '2 days' - g * interval '7 minutes', $2::timestamptz - interval '10 minutes' - g * interval '4 minutes'
      from generate_series(1, $1) g,
           (select array_agg(id order by id) as ids from employees where b24_user_id = any($3::text[])) e`,
  [b.missingTime, b.now, b.assignees.map((a) => String(a.b24UserId))]);
}

/**
 * Tickets from `rows` (status, assignee_id, created_at, closed_at; parameters $1, $2... as
 * `params`), each with a client, a subject and its first mail, in one statement.
 */
async function insertTickets(db: Db, rows: string, params: unknown[], announced = true): Promise<void> {
  await db.query(`
    with r (status, assignee_id, created_at, closed_at) as (${rows}),
    c as (select array_agg(id order by id) as ids from clients),
    t as (
      insert into tickets (status, client_id, requester_email, requester_name, subject, assignee_id,
                           created_at, updated_at, assigned_at, accepted_at, closed_at)
      select r.status, c.ids[1 + k % cardinality(c.ids)], 'user' || k || '@client.example', 'User ' || k,
             'Request ' || k || ': the 1C exchange stops at night with error ' || (1000 + k % 97),
             r.assignee_id, r.created_at, coalesce(r.closed_at, r.created_at),
             case when r.assignee_id is null then null else r.created_at + interval '5 minutes' end,
             case when r.assignee_id is null then null else r.created_at + interval '15 minutes' end, r.closed_at
        from (select r.*, row_number() over () as k from r) r, c
      returning id, requester_email, requester_name, subject, created_at
    )
    insert into messages (ticket_id, direction, kind, from_address, from_name, subject, body_text, created_at, bot_pending)
    select id, 'in', 'mail', requester_email, requester_name, subject,
           'Hello, since the update the nightly exchange stops halfway and the stock in the shop is stale. Log attached.',
           created_at, ${announced ? 'false' : 'true'}
      from t`, params);
}

/** A new unassigned ticket arriving now, not yet announced: the bot posts its card to the dispatch chat. */
export async function insertArrival(db: Db, now: Date): Promise<void> {
  await insertTickets(db, `select 'new', null::bigint, $1::timestamptz, null::timestamptz`, [now], false);
}
