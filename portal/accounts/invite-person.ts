import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { Actor, Language } from '../../tickets/types.js';
import { AccountExistsError, ClientNotFoundError } from '../portal-errors.js';
import type { AccountDeps } from './account-deps.js';
import { findUserByEmail, getUser, insertUser, type PortalRole, type PortalUser } from './portal-user-repo.js';
import { sendAccountMail } from './send-account-mail.js';

export interface Invitation {
  clientId: number;
  email: string;
  name: string;
  role: PortalRole;
  /** Default: the client's language. */
  language?: Language;
  /** Who invites: `operator:{login}` from the CLI, `portal:{user id}` for a director, `employee:{id}` from the bot. */
  invitedBy: string;
  actor: Actor;
}

/**
 * Opens a cabinet account and mails its set-password link. Inviting someone whose account
 * is not activated yet sends a fresh link (the old one stops working); an active account,
 * or one at another client, is refused.
 */
export async function invitePerson(deps: AccountDeps, inv: Invitation, now = new Date()): Promise<PortalUser> {
  return deps.db.transaction(async (tx) => {
    const [client] = await tx.query<{ language: Language }>('select language from clients where id = $1', [inv.clientId]);
    if (!client) throw new ClientNotFoundError(inv.clientId);
    const existing = await findUserByEmail(tx, inv.email, { forUpdate: true });
    if (existing && (existing.activatedAt || existing.clientId !== inv.clientId)) throw new AccountExistsError(inv.email);
    const id = existing?.id ?? await insertUser(tx, {
      clientId: inv.clientId, email: inv.email, name: inv.name, role: inv.role,
      language: inv.language ?? client.language, invitedBy: inv.invitedBy, at: now,
    });
    if (existing) await tx.query('update portal_users set role = $2, name = coalesce(nullif($3, \'\'), name) where id = $1', [id, inv.role, inv.name]);
    await tx.query('update portal_tokens set used_at = $2 where user_id = $1 and used_at is null', [id, now]);
    // A person with an account is a contact of the client: their mail (from a mail client or
    // written in the cabinet) is the client's, whatever the domain. An address already a
    // contact elsewhere stays where it is.
    await tx.query(`insert into client_contacts (email, client_id, name) values ($1, $2, nullif($3, '')) on conflict (email) do nothing`,
      [inv.email, inv.clientId, inv.name]);
    const user = (await getUser(tx, id))!;
    await sendAccountMail(deps, tx, user, 'invite', now);
    await recordAudit(tx, {
      ticketId: null, actor: inv.actor, channel: inv.actor.startsWith('client:') ? 'web' : inv.actor.startsWith('employee:') ? 'bot' : 'system', action: 'cabinet_invite', at: now,
      details: { clientId: inv.clientId, email: user.email, role: user.role, invitedBy: inv.invitedBy, again: Boolean(existing) },
    });
    return user;
  });
}
