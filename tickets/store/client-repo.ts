import type { Sql } from './db.js';
import type { Client, Language } from '../types.js';

export interface NewClient {
  company: string;
  language: Language;
  contacts?: Array<{ email: string; name?: string; receivesReports?: boolean }>;
  domains?: string[];
}

export async function insertClient(sql: Sql, c: NewClient): Promise<Client> {
  const [row] = await sql.query<{ id: number }>('insert into clients (company, language) values ($1, $2) returning id', [c.company, c.language]);
  for (const ct of c.contacts ?? []) {
    await sql.query('insert into client_contacts (email, client_id, name, receives_reports) values ($1, $2, $3, $4)',
      [ct.email.toLowerCase(), row.id, ct.name ?? null, ct.receivesReports ?? false]);
  }
  for (const d of c.domains ?? []) {
    await sql.query('insert into client_domains (domain, client_id) values ($1, $2)', [d.toLowerCase(), row.id]);
  }
  return { id: row.id, company: c.company, language: c.language };
}

/** The client of a sender: by exact contact address first, then by the address's domain. */
export async function findClientBySender(sql: Sql, email: string): Promise<Client | null> {
  const address = email.toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  // Contact match first: UNION ALL keeps branch order, and each branch uses its primary key.
  const [row] = await sql.query<Client>(
    `(select c.id, c.company, c.language from client_contacts ct join clients c on c.id = ct.client_id where ct.email = $1)
     union all
     (select c.id, c.company, c.language from client_domains d join clients c on c.id = d.client_id where d.domain = $2)
     limit 1`,
    [address, domain],
  );
  return row ?? null;
}
