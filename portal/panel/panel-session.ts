import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { CsrfError, SignInRequiredError } from '../portal-errors.js';
import { loadStaffSession } from './staff-sessions.js';
import { staffFromRow, type PanelRights, type Staff } from './staff-rights.js';

/** The panel's own cookies: a staff session never mixes with a client's cabinet session. */
export const STAFF_COOKIE = 'panel_session';
export const STAFF_CSRF_HEADER = 'x-csrf-token';

declare module 'express-serve-static-core' {
  interface Request {
    staff?: Staff & { sessionId: string; csrfToken: string };
  }
}

export function setStaffCookie(req: Request, res: Response, sessionId: string, ttlMs: number): void {
  res.cookie(STAFF_COOKIE, sessionId, { sameSite: 'lax', secure: req.secure, path: '/', httpOnly: true, maxAge: ttlMs });
}

export function clearStaffCookie(req: Request, res: Response): void {
  res.clearCookie(STAFF_COOKIE, { sameSite: 'lax', secure: req.secure, path: '/', httpOnly: true });
}

/** The staff member behind the cookie (if any), with today's rights from the directory. */
export function loadStaffMiddleware(db: Db, rights: PanelRights) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const id = req.cookies?.[STAFF_COOKIE] as string | undefined;
      // One query: the session with its person and their department (this runs on every call).
      const s = id ? await loadStaffSession(db, id, new Date()) : null;
      if (s && id) req.staff = { ...staffFromRow(s.employee, rights), sessionId: id, csrfToken: s.csrfToken };
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function requireStaff(req: Request, _res: Response, next: NextFunction): void {
  next(req.staff ? undefined : new SignInRequiredError());
}

const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * State changes need the session's CSRF token in a header (the page reads it from /me) and,
 * when the browser names one, our own origin: another site can do neither.
 */
export function staffCsrfGuard(req: Request, _res: Response, next: NextFunction): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const origin = req.get('origin');
  if (origin) {
    let host = '';
    try { host = new URL(origin).host; } catch { /* refused below */ }
    if (host !== req.get('host')) return next(new CsrfError('cross-origin request'));
  }
  const header = req.get(STAFF_CSRF_HEADER) ?? '';
  if (!req.staff || !header || !same(header, req.staff.csrfToken)) return next(new CsrfError('missing or wrong CSRF token'));
  next();
}
