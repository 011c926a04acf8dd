import { summary } from '../../bot/render-dispatch-message.js';

const ticket = {
  number: 7, subject: 'Undeliverable: Счёт', company: null, requesterName: 'Mail Delivery System', requesterEmail: 'mailer-daemon@x.example',
  excerpt: '', attachments: [],
};

test.each([
  ['ru', 'bounce', '⚙ Автоматическое письмо (отчёт о недоставке): клиенту ничего не отправлялось.'],
  ['en', 'bounce', '⚙ Automatic mail (delivery report): nothing was sent back.'],
  ['ru', 'auto_reply', '⚙ Автоматическое письмо (автоответ): клиенту ничего не отправлялось.'],
  ['en', 'bulk', '⚙ Automatic mail (list or bulk mail): nothing was sent back.'],
  ['en', 'report', '⚙ Automatic mail (automatic report): nothing was sent back.'],
  ['ru', 'no_reply', '⚙ Автоматическое письмо (адрес без ответа): клиенту ничего не отправлялось.'],
] as const)('a ticket opened by automatic mail is marked (%s, %s)', (lang, autoKind, line) => {
  expect(summary({ ...ticket, autoKind }, lang).split('\n').at(-1)).toBe(line);
});

test('undeliverable addresses are named, in both languages; a person\'s ticket carries no mark', () => {
  const t = { ...ticket, undeliverable: ['gone@x.example', 'old@x.example'] };
  expect(summary(t, 'ru').split('\n').at(-1)).toBe('⚠ Письмо клиенту не доставлено: gone@x.example, old@x.example');
  expect(summary(t, 'en').split('\n').at(-1)).toBe('⚠ Mail to the client could not be delivered: gone@x.example, old@x.example');
  expect(summary({ ...ticket, autoKind: null, undeliverable: [] }, 'en')).not.toMatch(/⚙|⚠/);
});
