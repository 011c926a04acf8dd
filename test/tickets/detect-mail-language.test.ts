import { detectMailLanguage, ownWords } from '../../tickets/detect-mail-language.js';

test('the alphabet of the client\'s own words decides between Russian and English', () => {
  expect(detectMailLanguage({ subject: 'Printer', text: 'Добрый день! Принтер не печатает с утра.' })).toBe('ru');
  expect(detectMailLanguage({ subject: 'Принтер', text: 'Hello, the printer has not printed since Monday.' })).toBe('en');
  // A few Latin words in Russian text (1С, Excel, VPN) do not make it English.
  expect(detectMailLanguage({ subject: '', text: 'После обновления 1С не открывается Excel и не подключается VPN, помогите.' })).toBe('ru');
});

test('too little, or half and half, is not clear: the client\'s setting applies', () => {
  expect(detectMailLanguage({ subject: 'Re: [#12] OK', text: 'Спасибо!' })).toBeNull();
  expect(detectMailLanguage({ subject: '', text: 'Hello team, привет команда, hello again, привет снова' })).toBeNull();
});

test('the subject decides when the body is too short; Re: and our tag do not count', () => {
  expect(detectMailLanguage({ subject: 'Re: [#12] Не работает почта в отделе', text: 'См.' })).toBe('ru');
});

test('quoted mail and the signature are not the client\'s words', () => {
  const reply = 'Спасибо, всё работает.\n\nOn Mon, 23 Nov 2026 Support wrote:\n> Hello, your request is registered as ticket #12, please wait.';
  expect(ownWords(reply).trim()).toBe('Спасибо, всё работает.');
  expect(detectMailLanguage({ subject: 'Re: [#12] Printer problem', text: reply })).toBe('ru');
  const quoted = 'Thanks, it works now, great job!\n\n> Здравствуйте! Ваше обращение зарегистрировано под номером #12.\n-- \nИван Петров';
  expect(detectMailLanguage({ subject: '', text: quoted })).toBe('en');
});
