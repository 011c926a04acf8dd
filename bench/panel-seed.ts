// The operator panel benchmark's data: clients, staff and N tickets made in the database with
// generate_series (no per-row round trips), one operator holding `open` open tickets.
import type { Db, Sql } from '../tickets/store/db.js';

export const OPERATOR_B24_ID = 900001;
const REPLY = 'We are looking into it.';
const WORDS = ['printer', 'mail', 'portal', 'crm', 'tasks', 'disk', 'login', 'report', 'invoice', 'backup'];

type SeedSize = { tickets: number; open: number; clients: number; staff: number };
/** Raised when what the seed makes changes: a database seeded before is seeded again, not reused. */
const SEED_VERSION = 2;

/** Whether the database holds this seed (recorded in bench_panel_seed with its sizes and version). */
export async function holdsPanelSeed(db: Sql, o: SeedSize): Promise<boolean> {
  const [table] = await db.query("select 1 from pg_tables where tablename = 'bench_panel_seed'");
  const [mark] = table ? await db.query<{ size: SeedSize & { version?: number } }>('select size from bench_panel_seed') : [];
  // jsonb orders keys its own way: compare field by field.
  return Boolean(mark) && mark.size.version === SEED_VERSION && (Object.keys(o) as Array<keyof SeedSize>).every((k) => mark.size[k] === o[k]);
}

/**
 * Seeds an empty database, or reuses one this function seeded with the same sizes (recorded in
 * bench_panel_seed). A database holding anything else is refused rather than mixed into.
 * True when it seeded.
 */
export async function ensurePanelData(db: Db, o: SeedSize): Promise<boolean> {
  if (await holdsPanelSeed(db, o)) return false;
  await db.query('create table if not exists bench_panel_seed (size jsonb not null)');
  const [mark] = await db.query<{ size: SeedSize }>('select size from bench_panel_seed');
  const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from (select 1 from tickets limit 1) x');
  if (mark || n > 0) throw new Error(`the database holds other data (${mark ? `a seed of ${JSON.stringify(mark.size)}` : 'tickets'}): give an empty one`);
  await seedPanelData(db, o);
  await db.query('insert into bench_panel_seed (size) values ($1)', [JSON.stringify({ ...o, version: SEED_VERSION })]);
  return true;
}

export async function seedPanelData(db: Db, o: SeedSize): Promise<void> {
  await db.transaction(async (tx) => {
    // Bulk data is not a change anybody watches: no change notifications (and no trigger cost) while seeding.
    await tx.query('set local session_replication_role = replica');
    await tx.query(`insert into clients (company, language) select 'Client ' || g, 'ru' from generate_series(1, $1) g`, [o.clients]);
    await tx.query(`insert into departments (b24_id, name, is_support) select 800000 + g, 'Line ' || g, true from generate_series(1, 3) g`);
    await tx.query(`insert into employees (b24_user_id, name, department_id, language, active)
      select 900000 + g, 'Staff ' || g, (select min(id) from departments) + (g % 3), 'en', true from generate_series(1, $1) g`, [o.staff]);
    const words = `(array[${WORDS.map((w) => `'${w}'`).join(',')}])`;
    const subject = `'Problem with ' || ${words}[1 + g % 10] || ' ' || g`;
    // The client's mail names the subject's word and number (the 3rd and 4th words of the subject).
    const mail = (word: string, n: string) => `'Hello, the ' || ${word} || ' does not work since the update. Ticket text ' || ${n}`;
    // Ticket g: the first `open` are the operator's (in progress); every 100th is new; the rest resolved by someone.
    await tx.query(`insert into tickets (status, client_id, requester_email, requester_name, subject, department_id, assignee_id,
        created_at, updated_at, assigned_at, resolved_at, search)
      select case when g <= $2 then 'in_progress' when g % 100 = 0 then 'new' else 'resolved' end,
             1 + (g % $3), 'user' || (g % 50000) || '@client' || (g % $3) || '.example', 'User ' || (g % 50000),
             ${subject},
             case when g % 100 = 0 and g > $2 then null else (select min(id) from departments) + ((case when g <= $2 then 1 else g % $4 + 1 end) % 3) end,
             case when g <= $2 then (select id from employees where b24_user_id = '${OPERATOR_B24_ID}')
                  when g % 100 = 0 then null else (select min(id) from employees) + g % $4 end,
             now() - make_interval(secs => ($1 - g) * 30), now() - make_interval(secs => ($1 - g) * 30 - 60),
             case when g % 100 = 0 and g > $2 then null else now() - make_interval(secs => ($1 - g) * 30 - 30) end,
             case when g > $2 and g % 100 <> 0 then now() - make_interval(secs => ($1 - g) * 30 - 60) end,
             -- What the triggers of migration 021 keep (the subject and the mails both ways), written at once: they are off here.
             strip(to_tsvector('simple', ${subject} || ' ' || ${mail(`${words}[1 + g % 10]`, 'g')} || case when g <= $2 then ' ${REPLY}' else '' end))
        from generate_series(1, $1) g`, [o.tickets, o.open, o.clients, o.staff]);
    await tx.query(`insert into messages (ticket_id, direction, kind, dedupe_key, from_address, subject, body_text, created_at)
      select t.id, 'in', 'mail', 'bench-' || t.id, t.requester_email, t.subject,
             ${mail("split_part(t.subject, ' ', 3)", "split_part(t.subject, ' ', 4)")}, t.created_at
        from tickets t`);
    // The operator's tickets have a longer thread: our reply and an internal note.
    await tx.query(`insert into messages (ticket_id, direction, kind, body_text, send_state, created_at, author_employee_id)
      select t.id, d.direction, d.kind, '${REPLY}', d.state, t.created_at + interval '5 minutes', t.assignee_id
        from tickets t cross join (values ('out', 'reply', 'sent'), ('note', 'note', null)) d(direction, kind, state)
       where t.status = 'in_progress'`);
    await tx.query(`insert into audit_log (ticket_id, actor, action, channel, created_at)
      select id, 'system', 'created', 'mail', created_at from tickets where status = 'in_progress'`);
    const [{ wrong }] = await tx.query<{ wrong: number }>(`select count(*)::int as wrong from tickets t
      where (t.number % 997 = 0 or t.status = 'in_progress') and t.search is distinct from ticket_search(t.id, t.subject)`);
    if (wrong > 0) throw new Error(`the seed's search vectors differ from what migration 021 keeps in ${wrong} tickets`);
  });
  await db.query('vacuum analyze');
}
