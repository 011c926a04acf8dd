import { Router } from 'express';
import type { Db } from '../../tickets/store/db.js';
import { AccountUpdate, PasswordChange } from '../api-schemas.js';
import { changePassword, listColleagues, updateProfile } from '../accounts/change-account.js';
import { sha256 } from '../accounts/one-time-links.js';
import { ForbiddenError } from '../portal-errors.js';
import { parseInput } from './parse-input.js';
import { requireSession } from './session-cookies.js';

/** Аккаунт: name and language, password change, and a director's list of colleagues. */
export function accountRoutes(db: Db): Router {
  const r = Router();
  r.use(['/account', '/colleagues'], requireSession);
  r.post('/account', async (req, res) => {
    await updateProfile(db, req.cabinet!.user.id, parseInput(AccountUpdate, req.body));
    res.status(204).end();
  });
  r.post('/account/password', async (req, res) => {
    const body = parseInput(PasswordChange, req.body);
    await changePassword(db, req.cabinet!.user, sha256(req.cabinet!.sessionId), body.currentPassword, body.newPassword);
    res.status(204).end();
  });
  r.get('/colleagues', async (req, res) => {
    if (req.cabinet!.user.role !== 'director') throw new ForbiddenError('only a director sees the colleagues');
    res.json({ colleagues: await listColleagues(db, req.cabinet!.user.clientId) });
  });
  return r;
}
