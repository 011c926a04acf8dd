import os from 'node:os';
import { ConfigError, loadConfig } from '../../config/load-config.js';
import { parseThreadCount } from '../../main/run-intake.js';

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

test('the bot\'s settings: a working-hours calendar, and a dispatch chat required with a portal', () => {
  const hook = { B24_WEBHOOK_URL: 'https://acme.bitrix24.ru/rest/7/secret/', B24_BOT_TOKEN: 'bot-token-123' };
  const c = loadConfig({ ...base, ...hook, BOT_DISPATCH_DIALOG: 'chat12', BOT_WORKING_HOURS: 'mon-fri 09:00-18:30' });
  expect(c.bot.workingHours).toEqual({ days: [1, 2, 3, 4, 5], fromMinute: 540, toMinute: 1110 });
  expect(c.bitrix24.mode === 'webhook' && c.bitrix24.webhookUserId).toBe(7);
  expect(() => loadConfig({ ...base, ...hook })).toThrow(/BOT_DISPATCH_DIALOG: is required with Bitrix24/);
  expect(() => loadConfig({ ...base, ...hook, BOT_DISPATCHERS: '2,x', BOT_WORKING_HOURS: 'weekdays' }))
    .toThrow(/BOT_DISPATCHERS: comma-separated Bitrix24 ids.*BOT_WORKING_HOURS: must look like "mon-fri 09:00-18:00"/);
});

test('the intake\'s parser threads: as set, else one per core but one; 0 refused', () => {
  expect(parseThreadCount(loadConfig({ ...base, INTAKE_PARSE_THREADS: '3' }).mail.parseThreads)).toBe(3);
  // Unset, a core is left to the database and the workers, where there is one to leave.
  const byDefault = parseThreadCount(loadConfig(base).mail.parseThreads);
  expect(byDefault).toBeGreaterThanOrEqual(1);
  expect(byDefault).toBeLessThanOrEqual(Math.max(1, os.availableParallelism() - 1));
  expect(() => loadConfig({ ...base, INTAKE_PARSE_THREADS: '0' })).toThrow(/INTAKE_PARSE_THREADS/);
});

test('the daily cap of automatic mail per address: 10 unless set, 0 allowed, a negative refused', () => {
  expect(loadConfig(base).mail.autoRepliesPerAddressPerDay).toBe(10);
  expect(loadConfig({ ...base, MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY: '0' }).mail.autoRepliesPerAddressPerDay).toBe(0);
  expect(() => loadConfig({ ...base, MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY: '-1' })).toThrow(/MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY/);
});

test('OAuth mode: the portal is required, the OAuth server is the documented one unless set; trust proxy only when set', () => {
  const oauth = { B24_CLIENT_ID: 'local.abc', B24_CLIENT_SECRET: 's3cret', B24_PUBLIC_URL: 'https://support.example.com/', BOT_DISPATCHERS: '2' };
  expect(() => loadConfig({ ...base, ...oauth })).toThrow(/B24_CLIENT_ID: OAuth mode needs .*B24_PORTAL_URL/);
  const c = loadConfig({ ...base, ...oauth, B24_PORTAL_URL: 'https://acme.bitrix24.ru/' });
  expect(c.bitrix24).toMatchObject({ mode: 'oauth', portalUrl: 'https://acme.bitrix24.ru', portalHost: 'acme.bitrix24.ru',
    oauthServerUrl: 'https://oauth.bitrix24.tech/', publicUrl: 'https://support.example.com' });
  // Task events are pushed in OAuth mode: the completion poll is a safety net there.
  expect(c.bot.taskPollMs).toBe(900_000);
  expect(c.http.trustProxy).toBe(false);
  expect(loadConfig({ ...base, HTTP_TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
  expect(loadConfig({ ...base, HTTP_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toBe('loopback, 10.0.0.0/8');
  expect(() => loadConfig({ ...base, HTTP_TRUST_PROXY: 'any*' })).toThrow(/HTTP_TRUST_PROXY/);
  expect(() => loadConfig({ ...base, ...oauth, B24_PORTAL_URL: 'https://acme.bitrix24.ru', B24_OAUTH_SERVER_URL: 'http://oauth.evil' }))
    .toThrow(/B24_OAUTH_SERVER_URL: must be a https:\/\/ URL/);
});

test('our details at the foot of the reports: as set, with new lines, else the company name', () => {
  expect(loadConfig({ ...base, COMPANY_NAME: 'Модест' }).companyDetails).toEqual({ ru: 'Модест', en: 'Модест' });
  expect(loadConfig({ ...base, COMPANY_DETAILS_RU: 'ООО «Модест»\\nИНН 7700000000', COMPANY_DETAILS_EN: 'Modest LLC' }).companyDetails)
    .toEqual({ ru: 'ООО «Модест»\nИНН 7700000000', en: 'Modest LLC' });
});
