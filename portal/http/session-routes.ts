import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../../tickets/store/audit-repo.js';
import { InviteBody, ResetRequestBody, SetPasswordBody, SignInBody, type Me } from '../api-schemas.js';
import type { AccountDeps } from '../accounts/account-deps.js';
import { invitePerson } from '../accounts/invite-person.js';
import type { PortalUser } from '../accounts/portal-user-repo.js';
import { requestPasswordReset } from '../accounts/request-password-reset.js';
import { endAllSessions, endSession, type NewSession } from '../accounts/sessions.js';
import { setPasswordWithLink } from '../accounts/set-password.js';
import { signIn } from '../accounts/sign-in.js';
import { ForbiddenError } from '../portal-errors.js';
import { parseInput } from './parse-input.js';
import { clearSessionCookies, requireSession, setSessionCookies } from './session-cookies.js';

const me = (u: PortalUser, csrfToken: string): Me => ({
  email: u.email, name: u.name, role: u.role, language: u.language, company: u.company, csrfToken,
});

const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Sign in and out, one-time links, and a director's invitations: /api/session, /api/password, /api/colleagues. */
export function sessionRoutes(deps: AccountDeps): Router {
  const r = Router();
  const started = (req: Request, res: Response, out: { user: PortalUser; session: NewSession }) => {
    setSessionCookies(req, res, out.session, deps.settings.sessionMs);
    res.json(me(out.user, out.session.csrfToken));
  };

  r.get('/session', requireSession, (req, res) => { res.json(me(req.cabinet!.user, req.cabinet!.csrfToken)); });

  r.post('/session', async (req, res) => {
    const body = parseInput(SignInBody, req.body);
    started(req, res, await signIn(deps, { ...body, ip: ipOf(req), userAgent: req.get('user-agent') ?? null }));
  });

  r.delete('/session', requireSession, async (req, res) => {
    await endSession(deps.db, req.cabinet!.sessionId);
    await recordAudit(deps.db, { ticketId: null, actor: `client:${req.cabinet!.user.email}`, channel: 'web', action: 'cabinet_sign_out', at: new Date() });
    clearSessionCookies(req, res);
    res.status(204).end();
  });

  r.post('/session/sign-out-everywhere', requireSession, async (req, res) => {
    const { user } = req.cabinet!;
    const ended = await endAllSessions(deps.db, user.id);
    await recordAudit(deps.db, { ticketId: null, actor: `client:${user.email}`, channel: 'web', action: 'cabinet_sign_out_everywhere', at: new Date(), details: { ended } });
    clearSessionCookies(req, res);
    res.status(204).end();
  });

  r.post('/password', async (req, res) => {
    const body = parseInput(SetPasswordBody, req.body);
    started(req, res, await setPasswordWithLink(deps, { ...body, ip: ipOf(req), userAgent: req.get('user-agent') ?? null }));
  });

  r.post('/password-reset', async (req, res) => {
    const { email } = parseInput(ResetRequestBody, req.body);
    await requestPasswordReset(deps, email, ipOf(req));
    res.status(202).json({ ok: true });
  });

  r.post('/colleagues', requireSession, async (req, res) => {
    const { user } = req.cabinet!;
    if (user.role !== 'director') throw new ForbiddenError('only a director invites colleagues');
    const body = parseInput(InviteBody, req.body);
    const invited = await invitePerson(deps, { ...body, clientId: user.clientId, invitedBy: `portal:${user.id}`, actor: `client:${user.email}` });
    res.status(201).json({ email: invited.email, role: invited.role });
  });
  return r;
}
