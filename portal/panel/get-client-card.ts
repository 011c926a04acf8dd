import type { Sql } from '../../tickets/store/db.js';
import { getClientContract } from '../contract/client-contract.js';
import { NotFoundError } from '../portal-errors.js';
import type { ClientCard } from './client-schemas.js';
import { listQueue } from './list-queue.js';
import type { Staff } from './staff-rights.js';

export const CLIENT_HISTORY_PAGE = 20;

/**
 * A client company for staff: who they are, whom we know there, the contract and this month's
 * hours (the cabinet's computation, the same the monthly report makes), and their tickets through
 * the queue's query, so a person restricted to a department sees only those of their rights.
 */
export async function getClientCard(sql: Sql, staff: Staff, clientId: number, page: number, zone: string, now = new Date()): Promise<ClientCard> {
  const [client] = await sql.query<{ id: string; company: string; language: 'ru' | 'en' }>('select id, company, language from clients where id = $1', [clientId]);
  if (!client) throw new NotFoundError(`client ${clientId}`);
  const [contacts, domains, terms, history] = await Promise.all([
    sql.query<{ email: string; name: string | null; receives_reports: boolean }>(
      'select email, name, receives_reports from client_contacts where client_id = $1 order by email', [clientId]),
    sql.query<{ domain: string }>('select domain from client_domains where client_id = $1 order by domain', [clientId]),
    getClientContract(sql, clientId, zone, now),
    listQueue(sql, staff, { view: 'all', status: 'any', client: clientId, sort: 'newest', page, pageSize: CLIENT_HISTORY_PAGE }),
  ]);
  return {
    id: Number(client.id), company: client.company, language: client.language,
    contacts: contacts.map((c) => ({ email: c.email, name: c.name, receivesReports: c.receives_reports })),
    domains: domains.map((d) => d.domain), terms, history,
  };
}
