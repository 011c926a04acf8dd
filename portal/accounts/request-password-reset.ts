import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { AccountDeps } from './account-deps.js';
import { findUserByEmail } from './portal-user-repo.js';
import { sendAccountMail } from './send-account-mail.js';

/**
 * Mails a reset link to an account's address. The answer is the same whether the address has
 * an account or not, so the form does not tell strangers who our clients' people are.
 */
export async function requestPasswordReset(deps: AccountDeps, email: string, ip: string, now = new Date()): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email, { forUpdate: true });
    await recordAudit(tx, { ticketId: null, actor: `client:${email}`, channel: 'web', action: 'cabinet_reset_requested', at: now, details: { ip, known: Boolean(user) } });
    if (!user) return;
    await sendAccountMail(deps, tx, user, user.activatedAt ? 'reset' : 'invite', now);
  });
}
