import { deliver, fixture } from '../../harness/app.js';
import { firstMessageOfMail, useMailApp } from '../../harness/mail-app.js';
import { eventually } from '../../harness/wait.js';
import { insertClient } from '../../../tickets/store/client-repo.js';
import { renderOutgoingMail } from '../../../connectors/mail/render-outgoing-mail.js';

const ctx = useMailApp({
  engine: 'pglite',
  prepare: async ({ app, t }) => {
    await insertClient(app.core.db, { company: 'ООО «Ромашка»', language: 'ru', domains: ['romashka.example'] });
    await deliver(t.mailboxUser, ['cp1251-unlabelled-subject.eml', 'koi8r-unlabelled-subject.eml', 'raw-8bit-encoded-word.eml',
      'utf7.eml', 'raw-8bit-filenames.eml', 'undecodable-subject.eml', 'cp1251-unlabelled-body.eml'].map(fixture));
  },
});

const stored = (messageId: string) => firstMessageOfMail(ctx.app, messageId);
const ackTo = (address: string) => eventually(`ack to ${address}`, async () => ctx.smtp.received.find((r) => r.rcptTo.includes(address)));

test.each([
  ['windows-1251, no label', 'cp1251-raw-1@romashka.example', 'Не печатает принтер в бухгалтерии', 'Ольга Смирнова', 'печатает пустые листы'],
  ['KOI8-R, no label', 'koi8r-raw-1@romashka.example', 'Сломался сканер на складе', 'Сергей', 'не включается'],
  ['raw windows-1251 inside an encoded word', 'ew-raw-1@romashka.example', 'Счёт на оплату', null, 'Пришлите'],
  ['UTF-7', 'utf7-1@phone.example', 'Нет связи', null, 'Интернет в офисе пропал с утра.'],
  ['windows-1251 subject and body, no MIME headers at all', 'cp1251-body-1@romashka.example', 'Нет доступа к 1С', null,
    'Добрый день, не могу войти в 1С.\nПароль верный.'],
])('%s: subject, sender name and text decode', async (_kind, mid, subject, name, text) => {
  const msg = await eventually(mid, () => stored(mid));
  expect(msg.subject).toBe(subject);
  expect(msg.fromName).toBe(name);
  expect(msg.bodyText).toContain(text);
  const ack = await ackTo(msg.fromAddress!);
  expect(ack.mail.subject).toMatch(new RegExp(`^\\[#\\d+\\] ${subject}$`));
});

test('attachment names in raw UTF-8 and raw windows-1251 decode', async () => {
  const msg = await eventually('files', () => stored('raw-names-1@files8.example'));
  expect(msg.attachments.map((a) => a.filename)).toEqual(['Отчёт за ноябрь.pdf', 'Счёт-фактура.xls']);
});

test('a subject no charset reads clearly is stored without guessing, and the acknowledgement says so in words', async () => {
  const msg = await eventually('garbled', () => stored('garbled-1@garbled.example'));
  expect(msg.subject).toMatch(/^Order \ufffd+/);
  const ack = await ackTo('robot@garbled.example');
  const [ticket] = await ctx.app.core.db.query<{ number: number }>('select number from tickets where id = $1', [msg.ticketId]);
  // The robot is no client of ours, but its text is English: the acknowledgement is too.
  expect(ack.mail.subject).toBe(`[#${ticket.number}] (subject could not be read)`);
  expect(ack.mail.text).toContain('"(subject could not be read)"');
  expect(renderOutgoingMail('ack', 'ru', { ticketNumber: 7, subject: msg.subject!, companyName: 'Acme' }).subject)
    .toBe('[#7] (тема не распознана)');
});

test('no text column anywhere holds the replacement character twice encoded', async () => {
  await eventually('all seven mails', async () => (await ctx.app.core.db.query(`select 1 from messages where direction = 'in'`)).length === 7);
  const rows = await ctx.app.core.db.query<{ n: number }>(
    `select count(*)::int as n from messages where concat_ws(' ', subject, body_text, body_html, from_name, attachments::text) ~ '(ï¿½|пїЅ)'`);
  expect(rows[0].n).toBe(0);
});

test('a subject already stored as mojibake is not echoed back', () => {
  for (const garbage of ['Ð\u009fÑ\u0080Ð¸Ð²ÐµÑ\u0082', 'Ã©tÃ©', 'Re: ï¿½ï¿½', 'пїЅпїЅ пїЅпїЅ']) {
    expect(renderOutgoingMail('ack', 'ru', { ticketNumber: 1, subject: garbage, companyName: 'X' }).subject).toBe('[#1] (тема не распознана)');
  }
  expect(renderOutgoingMail('ack', 'en', { ticketNumber: 1, subject: 'Grüße aus Köln — «счёт» № 5', companyName: 'X' }).subject)
    .toBe('[#1] Grüße aus Köln — «счёт» № 5');
});
