import type { z } from 'zod';
import type { Db, Sql } from '../../../tickets/store/db.js';
import { insertClient } from '../../../tickets/store/client-repo.js';
import { NotFoundError, PortalError } from '../../portal-errors.js';
import type { Staff } from '../staff-rights.js';
import { auditAdmin, changedFields, listClientAudit } from './admin-audit.js';
import type { AdminClient, AdminClientList, ClientInput, ClientListQuery, ContactInput, DomainInput } from './admin-schemas.js';
import { listContracts } from './admin-contracts.js';

/** An address or a domain that already names another client: mail from it would go to two companies. */
export class TakenError extends PortalError {
  constructor(what: string) { super('admin.taken', `${what} belongs to another client`); }
}

const PAGE_SIZE = 50;

export async function listAdminClients(sql: Sql, q: z.infer<typeof ClientListQuery>): Promise<AdminClientList> {
  const params: unknown[] = [];
  let where = 'true';
  if (q.q) {
    params.push(q.q);
    where = `(c.company ilike '%' || $1 || '%' or exists (select 1 from client_domains d where d.client_id = c.id and d.domain = lower($1))
      or exists (select 1 from client_contacts ct where ct.client_id = c.id and ct.email = lower($1)))`;
  }
  const [{ total }] = await sql.query<{ total: number }>(`select count(*)::int as total from clients c where ${where}`, params);
  const rows = await sql.query<{ id: string; company: string; language: 'ru' | 'en'; domains: string[] | null; contract: string | null; open: number }>(`
    select c.id, c.company, c.language,
           (select array_agg(domain order by domain) from client_domains where client_id = c.id) as domains,
           (select number from contracts where client_id = c.id order by start_date desc, id desc limit 1) as contract,
           (select count(*)::int from tickets t where t.client_id = c.id and t.status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time')) as open
      from clients c where ${where} order by c.company, c.id limit ${PAGE_SIZE} offset ${(q.page - 1) * PAGE_SIZE}`, params);
  return {
    rows: rows.map((r) => ({ id: Number(r.id), company: r.company, language: r.language, domains: r.domains ?? [], contract: r.contract, openTickets: r.open })),
    total, page: q.page, pageSize: PAGE_SIZE,
  };
}

async function lockClient(tx: Sql, id: number): Promise<{ company: string; language: string }> {
  const [c] = await tx.query<{ company: string; language: string }>('select company, language from clients where id = $1 for update', [id]);
  if (!c) throw new NotFoundError(`client ${id}`);
  return c;
}

export async function getAdminClient(sql: Sql, id: number): Promise<AdminClient> {
  const [c] = await sql.query<{ company: string; language: 'ru' | 'en' }>('select company, language from clients where id = $1', [id]);
  if (!c) throw new NotFoundError(`client ${id}`);
  const [contacts, domains, contracts, managers, audit] = await Promise.all([
    sql.query<{ email: string; name: string | null; receives_reports: boolean }>('select * from client_contacts where client_id = $1 order by email', [id]),
    sql.query<{ domain: string }>('select domain from client_domains where client_id = $1 order by domain', [id]),
    listContracts(sql, id),
    sql.query<{ id: string; name: string }>('select id, name from employees where active order by name'),
    listClientAudit(sql, id),
  ]);
  return {
    id, company: c.company, language: c.language,
    contacts: contacts.map((x) => ({ email: x.email, name: x.name, receivesReports: x.receives_reports })),
    domains: domains.map((d) => d.domain), contracts, managers: managers.map((m) => ({ id: Number(m.id), name: m.name })), audit,
  };
}

export async function createAdminClient(db: Db, staff: Staff, input: z.infer<typeof ClientInput>): Promise<number> {
  return db.transaction(async (tx) => {
    const c = await insertClient(tx, { company: input.company, language: input.language });
    await auditAdmin(tx, staff, 'client.create', c.id, { company: input.company, language: input.language });
    return c.id;
  });
}

export async function updateAdminClient(db: Db, staff: Staff, id: number, input: z.infer<typeof ClientInput>): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockClient(tx, id);
    const changes = changedFields(before, input);
    if (Object.keys(changes).length === 0) return;
    await tx.query('update clients set company = $2, language = $3 where id = $1', [id, input.company, input.language]);
    await auditAdmin(tx, staff, 'client.update', id, { changes });
  });
}

/** Adds a contact, or changes one of this client's; an address of another client is refused. */
export async function putContact(db: Db, staff: Staff, id: number, input: z.infer<typeof ContactInput>): Promise<void> {
  await db.transaction(async (tx) => {
    await lockClient(tx, id);
    const [had] = await tx.query<{ client_id: string; name: string | null; receives_reports: boolean }>('select * from client_contacts where email = $1', [input.email]);
    if (had && Number(had.client_id) !== id) throw new TakenError(input.email);
    await tx.query(`insert into client_contacts (email, client_id, name, receives_reports) values ($1, $2, $3, $4)
      on conflict (email) do update set name = excluded.name, receives_reports = excluded.receives_reports`, [input.email, id, input.name, input.receivesReports]);
    const after = { name: input.name, receivesReports: input.receivesReports };
    if (!had) {
      await auditAdmin(tx, staff, 'contact.add', id, { email: input.email, ...after });
      return;
    }
    const changes = changedFields({ name: had.name, receivesReports: had.receives_reports }, after);
    if (Object.keys(changes).length > 0) await auditAdmin(tx, staff, 'contact.update', id, { email: input.email, changes });
  });
}

export async function removeContact(db: Db, staff: Staff, id: number, email: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockClient(tx, id);
    const gone = await tx.query('delete from client_contacts where client_id = $1 and email = $2 returning email', [id, email.toLowerCase()]);
    if (gone.length === 0) throw new NotFoundError(`contact ${email}`);
    await auditAdmin(tx, staff, 'contact.remove', id, { email: email.toLowerCase() });
  });
}

export async function addDomain(db: Db, staff: Staff, id: number, input: z.infer<typeof DomainInput>): Promise<void> {
  await db.transaction(async (tx) => {
    await lockClient(tx, id);
    const [had] = await tx.query<{ client_id: string }>('select client_id from client_domains where domain = $1', [input.domain]);
    if (had && Number(had.client_id) !== id) throw new TakenError(input.domain);
    if (had) return;
    await tx.query('insert into client_domains (domain, client_id) values ($1, $2)', [input.domain, id]);
    await auditAdmin(tx, staff, 'domain.add', id, { domain: input.domain });
  });
}

export async function removeDomain(db: Db, staff: Staff, id: number, domain: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockClient(tx, id);
    const gone = await tx.query('delete from client_domains where client_id = $1 and domain = $2 returning domain', [id, domain.toLowerCase()]);
    if (gone.length === 0) throw new NotFoundError(`domain ${domain}`);
    await auditAdmin(tx, staff, 'domain.remove', id, { domain: domain.toLowerCase() });
  });
}
