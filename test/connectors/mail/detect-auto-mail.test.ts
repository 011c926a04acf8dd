import { detectAutoMail } from '../../../connectors/mail/detect-auto-mail.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

test.each([
  [{ 'auto-submitted': 'auto-replied' }, 'user@x.example', 'auto_reply'],
  [{ 'auto-submitted': 'auto-generated; owner-email="a@b"' }, 'user@x.example', 'auto_reply'],
  [{ 'x-autoreply': 'yes' }, 'user@x.example', 'auto_reply'],
  [{ 'x-auto-response-suppress': 'OOF, AutoReply' }, 'user@x.example', 'auto_reply'],
  [{ precedence: 'auto_reply' }, 'user@x.example', 'auto_reply'],
  [{ precedence: 'bulk' }, 'user@x.example', 'bulk'],
  [{ precedence: 'junk' }, 'user@x.example', 'bulk'],
  [{ 'list-id': '<news.x.example>' }, 'user@x.example', 'bulk'],
  [{ 'content-type': 'multipart/report; report-type=delivery-status' }, 'user@x.example', 'bounce'],
  [{}, 'MAILER-DAEMON@mx.x.example', 'bounce'],
  [{}, 'postmaster@x.example', 'bounce'],
  [{ 'return-path': '<>', subject: 'Undelivered Mail Returned to Sender' }, 'x@x.example', 'bounce'],
  [{ 'auto-submitted': 'no' }, 'user@x.example', null],
  [{ subject: 'Delivery of the new printer' }, 'user@x.example', null],
])('%j from %s is %s', (h, from, expected) => {
  expect(detectAutoMail(headers(h), from)).toBe(expected);
});
