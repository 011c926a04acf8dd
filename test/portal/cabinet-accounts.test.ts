import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { invitePerson } from '../../portal/accounts/invite-person.js';
import { signIn } from '../../portal/accounts/sign-in.js';
import { Browserish, linkIn, mailTo, makeClient, startCabinet, TEST_SETTINGS, type Cabinet } from './cabinet-harness.js';

let cab: Cabinet;
let acme: number;
beforeAll(async () => {
  cab = await startCabinet();
  acme = await makeClient(cab.db, 'Acme Inc.', 'en');
});
afterAll(async () => { await cab?.close(); });

const invite = (email: string, role: 'director' | 'employee' = 'director', clientId = acme) =>
  invitePerson(cab.deps, { clientId, email, name: '', role, invitedBy: 'operator:test', actor: 'system' });

/** Invited, password set through the mailed link: a signed-in browser. */
async function activated(email: string, role: 'director' | 'employee' = 'director', password = 'correct horse battery'): Promise<Browserish> {
  const before = cab.sink.received.length;
  await invite(email, role);
  const b = new Browserish(cab.url);
  const res = await b.call('POST', '/api/password', { token: linkIn(await mailTo(cab.sink, email, before)).token, password });
  expect(res.status).toBe(200);
  return b;
}

test('the operator CLI invites a director; the mail, in the client language, carries a one-time link that signs them in', async () => {
  const env = { ...process.env, DATABASE_URL: cab.databaseUrl, SMTP_URL: cab.sink.url, MAIL_FROM: 'Modest Support <support@modest.example>',
    PUBLIC_URL: cab.url, LOG_LEVEL: 'silent' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main/cabinet-cli.ts', 'invite', '--client', String(acme),
    '--email', 'Boss@Acme.example', '--role', 'director'], { env, cwd: process.cwd() });
  expect(JSON.parse(stdout)).toMatchObject({ invited: 'boss@acme.example', role: 'director', clientId: acme });

  const mail = await mailTo(cab.sink, 'boss@acme.example');
  expect(mail.mail.subject).toBe('Your client cabinet access — Acme Inc.');
  const { link, token } = linkIn(mail);
  expect(link.startsWith(`${cab.url}/set-password?token=`)).toBe(true);

  const b = new Browserish(cab.url);
  expect((await b.call('GET', '/api/session')).status).toBe(401);
  const set = await b.call('POST', '/api/password', { token, password: 'a long enough secret' });
  expect(set.status).toBe(200);
  expect(set.json).toMatchObject({ email: 'boss@acme.example', role: 'director', company: 'Acme Inc.', language: 'en' });
  const session = set.setCookies.find((c) => c.startsWith('cabinet_session='))!;
  expect(session).toMatch(/HttpOnly/i);
  expect(session).toMatch(/SameSite=Lax/i);
  expect((await b.call('GET', '/api/session')).json.email).toBe('boss@acme.example');

  // The link works once.
  const again = await new Browserish(cab.url).call('POST', '/api/password', { token, password: 'another long secret' });
  expect(again.status).toBe(410);
  expect(again.json.error.code).toBe('auth.link_invalid');
  const [{ password_hash }] = await cab.db.query<{ password_hash: string }>(`select password_hash from portal_users where email = 'boss@acme.example'`);
  expect(password_hash.startsWith('$argon2id$')).toBe(true);
  const audit = await cab.db.query<{ action: string }>(`select action from audit_log where actor in ('system', 'client:boss@acme.example') and ticket_id is null order by id`);
  expect(audit.map((a) => a.action)).toEqual(['cabinet_invite', 'cabinet_activated']);
}, 60_000);

test('an expired invitation link is refused', async () => {
  const before = cab.sink.received.length;
  await invitePerson(cab.deps, { clientId: acme, email: 'late@acme.example', name: '', role: 'employee', invitedBy: 'operator:test', actor: 'system' },
    new Date(Date.now() - TEST_SETTINGS.inviteMs - 1000));
  const { token } = linkIn(await mailTo(cab.sink, 'late@acme.example', before));
  const res = await new Browserish(cab.url).call('POST', '/api/password', { token, password: 'a long enough secret' });
  expect(res.status).toBe(410);
});

test('sign in with e-mail and password; a wrong password is refused without telling whether the address exists', async () => {
  await activated('anna@acme.example', 'employee', 'anna password 1');
  const b = new Browserish(cab.url, '203.0.113.20');
  expect((await b.call('POST', '/api/session', { email: 'anna@acme.example', password: 'nope nope nope' })).json.error.code).toBe('auth.bad_credentials');
  expect((await b.call('POST', '/api/session', { email: 'nobody@acme.example', password: 'nope nope nope' })).json.error.code).toBe('auth.bad_credentials');
  const ok = await b.call('POST', '/api/session', { email: 'ANNA@acme.example', password: 'anna password 1' });
  expect(ok.status).toBe(200);
  expect(ok.json.role).toBe('employee');
});

test('five wrong passwords lock the account, even for the right password, until the lockout ends', async () => {
  await activated('locked@acme.example', 'director', 'the right password');
  const b = new Browserish(cab.url, '203.0.113.30');
  for (let i = 0; i < TEST_SETTINGS.maxFailures - 1; i++) {
    expect((await b.call('POST', '/api/session', { email: 'locked@acme.example', password: `wrong ${i} wrong` })).json.error.code).toBe('auth.bad_credentials');
  }
  const fifth = await b.call('POST', '/api/session', { email: 'locked@acme.example', password: 'wrong again!!' });
  expect(fifth.status).toBe(429);
  expect(fifth.json.error.code).toBe('auth.locked');
  const right = await new Browserish(cab.url, '203.0.113.31').call('POST', '/api/session', { email: 'locked@acme.example', password: 'the right password' });
  expect(right.json.error.code).toBe('auth.locked');
  const later = new Date(Date.now() + TEST_SETTINGS.lockoutMs + 1000);
  await expect(signIn(cab.deps, { email: 'locked@acme.example', password: 'the right password', ip: '203.0.113.32', userAgent: null }, later))
    .resolves.toMatchObject({ user: { email: 'locked@acme.example' } });
});

test('too many failed sign-ins from one address are refused before any password is checked; other addresses are not', async () => {
  await activated('ratelimit@acme.example', 'employee', 'rate limit password');
  const b = new Browserish(cab.url, '198.51.100.9');
  for (let i = 0; i < TEST_SETTINGS.ipMaxFailures; i++) {
    await b.call('POST', '/api/session', { email: `guess${i}@acme.example`, password: 'guess guess guess' });
  }
  const refused = await b.call('POST', '/api/session', { email: 'ratelimit@acme.example', password: 'rate limit password' });
  expect(refused.status).toBe(429);
  expect(refused.json.error.code).toBe('auth.rate_limited');
  expect((await new Browserish(cab.url, '198.51.100.10').call('POST', '/api/session', { email: 'ratelimit@acme.example', password: 'rate limit password' })).status).toBe(200);
});

test('a state change without the CSRF token, or from another origin, is refused', async () => {
  const b = await activated('csrf@acme.example');
  const noToken = await b.call('POST', '/api/session/sign-out-everywhere', undefined, { csrf: false });
  expect(noToken.status).toBe(403);
  expect(noToken.json.error.code).toBe('auth.csrf');
  const foreign = await b.call('DELETE', '/api/session', undefined, { origin: 'https://evil.example' });
  expect(foreign.status).toBe(403);
  const loginWithout = await new Browserish(cab.url).call('POST', '/api/session', { email: 'csrf@acme.example', password: 'correct horse battery' }, { csrf: false });
  expect(loginWithout.status).toBe(403);
  expect((await b.call('GET', '/api/session')).status).toBe(200);
});

test('sign out everywhere ends every session of the person, and only theirs', async () => {
  const laptop = await activated('everywhere@acme.example', 'director', 'everywhere password');
  const phone = new Browserish(cab.url, '203.0.113.40');
  expect((await phone.call('POST', '/api/session', { email: 'everywhere@acme.example', password: 'everywhere password' })).status).toBe(200);
  const other = await activated('bystander@acme.example');
  expect((await laptop.call('POST', '/api/session/sign-out-everywhere')).status).toBe(204);
  expect((await phone.call('GET', '/api/session')).status).toBe(401);
  expect((await laptop.call('GET', '/api/session')).status).toBe(401);
  expect((await other.call('GET', '/api/session')).status).toBe(200);
});

test('password reset by mail: the new password works, the old one and old sessions do not', async () => {
  const old = await activated('forgetful@acme.example', 'employee', 'old password here');
  const before = cab.sink.received.length;
  const anon = new Browserish(cab.url, '203.0.113.50');
  expect((await anon.call('POST', '/api/password-reset', { email: 'forgetful@acme.example' })).status).toBe(202);
  expect((await anon.call('POST', '/api/password-reset', { email: 'stranger@acme.example' })).status).toBe(202);
  const mail = await mailTo(cab.sink, 'forgetful@acme.example', before);
  expect(mail.mail.subject).toBe('Reset your client cabinet password');
  expect(cab.sink.received.slice(before).some((m) => m.rcptTo.includes('stranger@acme.example'))).toBe(false);
  expect((await anon.call('POST', '/api/password', { token: linkIn(mail).token, password: 'new password here' })).status).toBe(200);
  expect((await old.call('GET', '/api/session')).status).toBe(401);
  const b = new Browserish(cab.url, '203.0.113.51');
  expect((await b.call('POST', '/api/session', { email: 'forgetful@acme.example', password: 'old password here' })).status).toBe(401);
  expect((await b.call('POST', '/api/session', { email: 'forgetful@acme.example', password: 'new password here' })).status).toBe(200);
});

test('a director invites a colleague into their own company; an employee may not invite', async () => {
  const director = await activated('chief@acme.example');
  const before = cab.sink.received.length;
  const res = await director.call('POST', '/api/colleagues', { email: 'newbie@acme.example', role: 'employee', name: 'New Bie' });
  expect(res.status).toBe(201);
  await mailTo(cab.sink, 'newbie@acme.example', before);
  const [u] = await cab.db.query<{ client_id: number; invited_by: string }>(`select client_id, invited_by from portal_users where email = 'newbie@acme.example'`);
  expect(u.client_id).toBe(acme);
  const employee = await activated('junior@acme.example', 'employee');
  const refused = await employee.call('POST', '/api/colleagues', { email: 'friend@acme.example', role: 'director' });
  expect(refused.status).toBe(403);
  expect((await cab.db.query(`select 1 from portal_users where email = 'friend@acme.example'`)).length).toBe(0);
});

test('an active account cannot be invited again, nor an address into a second company', async () => {
  await activated('taken@acme.example');
  await expect(invite('taken@acme.example')).rejects.toMatchObject({ code: 'account.exists' });
  const other = await makeClient(cab.db, 'Other LLC');
  await expect(invite('taken@acme.example', 'director', other)).rejects.toMatchObject({ code: 'account.exists' });
});

test('Аккаунт: name and language change; a password change needs the current one and ends the other sessions', async () => {
  const here = await activated('profile@acme.example', 'director', 'first password!');
  const elsewhere = new Browserish(cab.url, '203.0.113.60');
  expect((await elsewhere.call('POST', '/api/session', { email: 'profile@acme.example', password: 'first password!' })).status).toBe(200);
  expect((await here.call('POST', '/api/account', { name: 'Pat Profile', language: 'ru' })).status).toBe(204);
  expect((await here.call('GET', '/api/session')).json).toMatchObject({ name: 'Pat Profile', language: 'ru' });
  expect((await here.call('POST', '/api/account', { language: 'de' })).status).toBe(400);

  const wrong = await here.call('POST', '/api/account/password', { currentPassword: 'not it at all', newPassword: 'second password!' });
  expect(wrong.status).toBe(401);
  expect((await here.call('POST', '/api/account/password', { currentPassword: 'first password!', newPassword: 'second password!' })).status).toBe(204);
  expect((await here.call('GET', '/api/session')).status).toBe(200);
  expect((await elsewhere.call('GET', '/api/session')).status).toBe(401);
  const b = new Browserish(cab.url, '203.0.113.61');
  expect((await b.call('POST', '/api/session', { email: 'profile@acme.example', password: 'second password!' })).status).toBe(200);
});

test('a director sees the colleagues with access; an employee does not', async () => {
  const director = await activated('lead@acme.example');
  const res = await director.call('GET', '/api/colleagues');
  expect(res.status).toBe(200);
  expect(res.json.colleagues).toEqual(expect.arrayContaining([
    { email: 'lead@acme.example', name: '', role: 'director', active: true },
    { email: 'late@acme.example', name: '', role: 'employee', active: false },
  ]));
  const other = await makeClient(cab.db, 'Elsewhere Ltd');
  await invite('outsider@elsewhere.example', 'director', other);
  expect(res.json.colleagues.some((c: { email: string }) => c.email.endsWith('elsewhere.example'))).toBe(false);
  const employee = await activated('staffer@acme.example', 'employee');
  expect((await employee.call('GET', '/api/colleagues')).status).toBe(403);
});

test('sign-ins, refused sign-ins and sign-outs are in the audit log', async () => {
  await activated('audited@acme.example', 'employee', 'audited password');
  const b = new Browserish(cab.url, '203.0.113.60');
  expect((await b.call('POST', '/api/session', { email: 'audited@acme.example', password: 'wrong password' })).status).toBe(401);
  expect((await b.call('POST', '/api/session', { email: 'audited@acme.example', password: 'audited password' })).status).toBe(200);
  expect((await b.call('DELETE', '/api/session')).status).toBe(204);
  const audit = await cab.db.query<{ action: string; ip: string | null }>(
    `select action, details->>'ip' as ip from audit_log where actor = 'client:audited@acme.example' order by id`);
  expect(audit).toEqual([
    { action: 'cabinet_activated', ip: expect.any(String) }, { action: 'cabinet_login_failed', ip: '203.0.113.60' },
    { action: 'cabinet_login', ip: '203.0.113.60' }, { action: 'cabinet_sign_out', ip: null },
  ]);
});
