import { isValidMailAddress } from '../../tickets/mail-address.js';

test.each([
  'ivan@acme.example', 'ivan.petrov+support@mail.acme.example', "o'brien@acme.example", 'user_1@sub-domain.acme.example',
  'иван@почта.рф', 'a@b.co',
])('%s can be written to', (a) => {
  expect(isValidMailAddress(a)).toBe(true);
});

test.each([
  '', 'ivan', 'ivan@', '@acme.example', 'ivan@@acme.example', 'ivan@acme..example', 'ivan@intranet', 'iv an@acme.example',
  '.ivan@acme.example', 'ivan.@acme.example', 'iv..an@acme.example', 'ivan@-acme.example', 'ivan@acme-.example', 'ivan@10.0.0.1',
  'ivan@[10.0.0.1]', '"ivan petrov"@acme.example', 'ivan@acme.example>', `${'a'.repeat(65)}@acme.example`, `a@${'b'.repeat(250)}.example`,
  'ivan@acme.example\r\nBcc: x@y.example',
])('%j cannot', (a) => {
  expect(isValidMailAddress(a)).toBe(false);
});
