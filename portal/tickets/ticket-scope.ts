import type { PortalUser } from '../accounts/portal-user-repo.js';

/** Which tickets a person may see: the company's (director), or those they sent (employee). */
export interface TicketScope {
  clientId: number;
  /** Set for an employee: only tickets whose requester is this address. */
  requesterEmail: string | null;
}

export function scopeOf(user: Pick<PortalUser, 'clientId' | 'role' | 'email'>): TicketScope {
  return { clientId: user.clientId, requesterEmail: user.role === 'director' ? null : user.email };
}

/** The scope as SQL on `tickets t`, its parameters appended to `params`. */
export function scopeSql(scope: TicketScope, params: unknown[]): string {
  params.push(scope.clientId);
  let sql = `t.client_id = $${params.length}`;
  if (scope.requesterEmail) {
    params.push(scope.requesterEmail);
    sql += ` and t.requester_email = $${params.length}`;
  }
  return sql;
}
