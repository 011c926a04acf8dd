import { ConfigError, loadConfig } from '../../config/load-config.js';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'Support <support@modest.example>' };

test('defaults fill everything optional, and mailbox URLs are read into settings', () => {
  const c = loadConfig({ ...base, IMAP_URLS: 'imaps://help%40acme.example:p%40ss@mail.acme.example/Support?name=acme, imap://u:p@127.0.0.1:10143' });
  expect(c.mail.mailboxes).toEqual([
    { name: 'acme', host: 'mail.acme.example', port: 993, secure: true, user: 'help@acme.example', password: 'p@ss', folder: 'Support' },
    { name: 'u@127.0.0.1', host: '127.0.0.1', port: 10143, secure: false, user: 'u', password: 'p', folder: 'INBOX' },
  ]);
  expect(c.mail.ownAddresses).toEqual(['support@modest.example']);
  expect(c.database.url).toBeUndefined();
  expect(c.defaultLanguage).toBe('ru');
  expect(Object.isFrozen(c.mail)).toBe(true);
});

test('every wrong or missing setting is named in one line', () => {
  let err: unknown;
  try {
    loadConfig({ SMTP_URL: 'http://x', MAIL_FROM: 'support', IMAP_URLS: 'pop3://x', REOPEN_DAYS: 'soon' });
  } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ConfigError);
  const msg = (err as Error).message;
  expect(msg.split('\n')).toHaveLength(1);
  for (const name of ['REDIS_URL: is required', 'SMTP_URL', 'MAIL_FROM', 'IMAP_URLS', 'REOPEN_DAYS']) expect(msg).toContain(name);
});
