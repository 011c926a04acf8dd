import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { loadSession, type ActiveSession, type NewSession } from '../accounts/sessions.js';
import { CsrfError, SignInRequiredError } from '../portal-errors.js';

export const SESSION_COOKIE = 'cabinet_session';
/** Readable by the page, which echoes it in X-CSRF-Token (double submit). */
export const CSRF_COOKIE = 'cabinet_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'express-serve-static-core' {
  interface Request {
    cabinet?: ActiveSession & { sessionId: string };
  }
}

const base = (req: Request) => ({ sameSite: 'lax' as const, secure: req.secure, path: '/' });

export function setSessionCookies(req: Request, res: Response, s: NewSession, ttlMs: number): void {
  res.cookie(SESSION_COOKIE, s.sessionId, { ...base(req), httpOnly: true, maxAge: ttlMs });
  res.cookie(CSRF_COOKIE, s.csrfToken, { ...base(req), httpOnly: false, maxAge: ttlMs });
}

export function clearSessionCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { ...base(req), httpOnly: true });
  res.cookie(CSRF_COOKIE, crypto.randomBytes(24).toString('base64url'), { ...base(req), httpOnly: false });
}

/** Loads the session named by the cookie (if any) and gives a signed-out browser its CSRF cookie. */
export function loadSessionMiddleware(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = req.cookies?.[SESSION_COOKIE] as string | undefined;
      const s = id ? await loadSession(db, id, new Date()) : null;
      if (s && id) req.cabinet = { ...s, sessionId: id };
      if (!req.cookies?.[CSRF_COOKIE]) {
        const token = s?.csrfToken ?? crypto.randomBytes(24).toString('base64url');
        res.cookie(CSRF_COOKIE, token, { ...base(req), httpOnly: false });
        req.cookies = { ...req.cookies, [CSRF_COOKIE]: token };
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Every state change must come from our own page: an Origin (when the browser sends one) of
 * this host, and an X-CSRF-Token header equal to the CSRF cookie, which for a signed-in
 * person must be the token of their session. Another site can neither read the cookie nor
 * set the header.
 */
export function csrfGuard(req: Request, _res: Response, next: NextFunction): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const origin = req.get('origin');
  if (origin && origin !== 'null') {
    let host = '';
    try { host = new URL(origin).host; } catch { /* refused below */ }
    if (host !== req.get('host')) return next(new CsrfError('cross-origin request'));
  } else if (origin === 'null') return next(new CsrfError('opaque origin'));
  const header = req.get(CSRF_HEADER) ?? '';
  const cookie = (req.cookies?.[CSRF_COOKIE] as string | undefined) ?? '';
  const expected = req.cabinet?.csrfToken ?? cookie;
  if (!header || !cookie || !same(header, cookie) || !same(header, expected)) return next(new CsrfError('missing or wrong CSRF token'));
  next();
}

export function requireSession(req: Request, _res: Response, next: NextFunction): void {
  next(req.cabinet ? undefined : new SignInRequiredError());
}
