import { checkStaffLink, resolvePanelLinks, signStaffLink } from '../../bot/panel-links.js';
import { personOf } from '../../bot/person-name.js';
import { renderAssigned } from '../../bot/render-dispatch-message.js';
import { renderSpecialistCard } from '../../bot/render-specialist-card.js';

const SECRET = 'a-test-secret-of-some-length';
const card = { number: 1042, subject: 'S', company: 'C', requesterName: null, requesterEmail: 'a@b.example', excerpt: '', attachments: [] };
const settings = { publicUrl: 'https://desk.example', secret: SECRET, lifetimeMs: 15 * 60_000 };
const now = new Date('2026-12-01T10:00:00Z');

test('every card carries an "Open" link to the ticket page, in the card\'s language', () => {
  expect(renderSpecialistCard(card, 'in_progress', 'ru').text).toContain('[url=/tickets/1042]Открыть[/url]');
  expect(renderAssigned(card, personOf('Oleg', null), personOf('Maria', null), now, 'Europe/Moscow', 'en').text).toContain('[url=/tickets/1042]Open[/url]');
});

test('in a person\'s own dialog the link is signed for them; in a shared chat it is the bare address', () => {
  const text = 'x [url=/tickets/1042]Открыть[/url] y';
  const own = resolvePanelLinks(text, settings, '7', now);
  const token = /\[url=https:\/\/desk\.example\/tickets\/1042\?t=([^\]]+)\]Открыть\[\/url\]/.exec(own)?.[1];
  expect(token).toBeDefined();
  const check = checkStaffLink(SECRET, token!, now);
  expect(check.ok && check.claims.b24UserId).toBe(7);
  expect(resolvePanelLinks(text, settings, 'chat12', now)).toBe('x [url=https://desk.example/tickets/1042]Открыть[/url] y');
  // No key configured: bare links everywhere.
  expect(resolvePanelLinks(text, { ...settings, secret: null }, '7', now)).toBe('x [url=https://desk.example/tickets/1042]Открыть[/url] y');
});

test('a token past its lifetime, signed with another key, or altered is refused', () => {
  const token = signStaffLink(SECRET, 7, now, 60_000);
  expect(checkStaffLink(SECRET, token, new Date(now.getTime() + 59_000)).ok).toBe(true);
  expect(checkStaffLink(SECRET, token, new Date(now.getTime() + 61_000))).toEqual({ ok: false, reason: 'expired' });
  expect(checkStaffLink('another-secret-of-some-length', token, now)).toEqual({ ok: false, reason: 'forged' });
  expect(checkStaffLink(SECRET, token.replace(/^7\./, '8.'), now)).toEqual({ ok: false, reason: 'forged' });
  expect(checkStaffLink(SECRET, 'garbage', now)).toEqual({ ok: false, reason: 'malformed' });
});
