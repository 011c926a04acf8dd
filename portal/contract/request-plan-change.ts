import crypto from 'node:crypto';
import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { AccountDeps } from '../accounts/account-deps.js';
import type { PortalUser } from '../accounts/portal-user-repo.js';
import { MailUnavailableError } from '../portal-errors.js';
import { getClientContract } from './client-contract.js';
import { renderPlanRequestMail } from './render-plan-request-mail.js';

/**
 * "Изменить тариф": records the request with the terms it was asked against, audits it and
 * mails the director a confirmation, in one transaction (SMTP refusing rolls it back and the
 * director is asked to try again: nothing is half-recorded). The bot's next tick tells the
 * contract's account manager (bot/deliver-plan-requests.ts).
 */
export async function requestPlanChange(deps: AccountDeps, user: PortalUser, text: string, now = new Date()): Promise<{ id: number }> {
  const view = await getClientContract(deps.db, user.clientId, deps.timeZone, now);
  const c = view.contract;
  return deps.db.transaction(async (tx) => {
    const [k] = c ? await tx.query<{ id: number }>(
      'select id from contracts where client_id = $1 and number = $2 order by start_date desc, id desc limit 1', [user.clientId, c.number]) : [];
    const [row] = await tx.query<{ id: number }>(`insert into plan_change_requests (client_id, contract_id, portal_user_id, text, terms, created_at)
      values ($1, $2, $3, $4, $5, $6) returning id`, [user.clientId, k?.id ?? null, user.id, text, c ? JSON.stringify(c) : null, now]);
    await recordAudit(tx, {
      ticketId: null, actor: `client:${user.email}`, channel: 'web', action: 'cabinet_plan_request', at: now,
      details: { requestId: row.id, clientId: user.clientId, contract: c?.number ?? null },
    });
    const mail = renderPlanRequestMail(user.language, {
      company: user.company, contractNumber: c?.number ?? null, managerName: c?.manager?.name ?? null, text, supportName: deps.supportName,
    });
    try {
      await deps.smtp.send({
        to: [user.email], subject: mail.subject, text: mail.text, inReplyTo: null, references: [], autoSubmitted: false,
        messageId: `cabinet-plan-${row.id}-${crypto.randomUUID()}@${deps.messageIdDomain}`,
      });
    } catch (err) {
      throw new MailUnavailableError(err);
    }
    return row;
  });
}
