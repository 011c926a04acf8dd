import { detectAutoMail, isMachineAddress, type DecodedFields } from '../../../connectors/mail/detect-auto-mail.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];
const person = 'user@x.example';

test.each<[Record<string, string>, string, DecodedFields, string | null]>([
  // bounces
  [{ 'content-type': 'multipart/report; report-type=delivery-status; boundary="b"' }, person, {}, 'bounce'],
  [{ 'content-type': 'multipart/report; boundary="b"' }, person, {}, 'bounce'],
  [{}, 'MAILER-DAEMON@mx.x.example', {}, 'bounce'],
  [{}, 'postmaster@x.example', {}, 'bounce'],
  [{}, 'post_master@vtext.example', {}, 'bounce'],
  [{}, 'gmail-noreply@google.example', {}, 'no_reply'],
  [{}, 'billing.no-reply@shop.example', {}, 'no_reply'],
  [{}, 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@x.example', { fromName: 'Microsoft Outlook' }, 'bounce'],
  [{}, 'daemon@mx.x.example', { fromName: 'Mail Delivery Subsystem' }, 'bounce'],
  [{}, 'robot@mx.x.example', { fromName: 'Mail Delivery System' }, 'bounce'],
  [{ from: '"Mail Delivery System" <robot@mx.x.example>' }, 'robot@mx.x.example', {}, 'bounce'],
  [{ 'x-failed-recipients': 'nobody@x.example' }, 'robot@mx.x.example', {}, 'bounce'],
  [{ 'return-path': '<>' }, 'robot@mx.x.example', { subject: 'Hello' }, 'bounce'],
  [{}, person, { subject: 'Undeliverable: Счёт за ноябрь' }, 'bounce'],
  [{}, person, { subject: 'Delivery Status Notification (Failure)' }, 'bounce'],
  [{}, person, { subject: 'Returned mail: see transcript for details' }, 'bounce'],
  [{}, person, { subject: 'Mail delivery failed: returning message to sender' }, 'bounce'],
  [{}, person, { subject: 'failure notice' }, 'bounce'],
  [{}, person, { subject: 'Недоставленное сообщение' }, 'bounce'],
  // automatic reports
  [{}, 'noreply-dmarc-support@google.com', { subject: 'Report domain: modest.example Submitter: google.com Report-ID: <123>' }, 'report'],
  [{ 'content-type': 'multipart/report; report-type=feedback-report; boundary="b"' }, 'fbl@x.example', {}, 'report'],
  [{ 'feedback-type': 'abuse' }, 'fbl@x.example', {}, 'report'],
  // auto-replies
  [{ 'auto-submitted': 'auto-replied' }, person, {}, 'auto_reply'],
  [{ 'auto-submitted': 'auto-generated; owner-email="a@b"' }, person, {}, 'auto_reply'],
  [{ 'x-autoreply': 'yes' }, person, {}, 'auto_reply'],
  [{ 'x-autorespond': 'Out of office' }, person, {}, 'auto_reply'],
  [{ 'x-auto-response-suppress': 'All' }, person, {}, 'auto_reply'],
  [{ 'x-auto-response-suppress': 'OOF, AutoReply' }, person, {}, 'auto_reply'],
  [{ precedence: 'auto_reply' }, person, {}, 'auto_reply'],
  [{ 'content-type': 'multipart/report; report-type=disposition-notification; boundary="b"' }, person, {}, 'auto_reply'],
  [{}, person, { subject: 'Auto: Printer does not print' }, 'auto_reply'],
  [{}, person, { subject: 'Automatic reply: Printer does not print' }, 'auto_reply'],
  [{}, person, { subject: 'Out of Office: Printer does not print' }, 'auto_reply'],
  [{}, person, { subject: 'Out of Office AutoReply: Printer' }, 'auto_reply'],
  [{}, person, { subject: 'Автоответ: Принтер не печатает' }, 'auto_reply'],
  [{}, person, { subject: 'Автоматический ответ: Принтер не печатает' }, 'auto_reply'],
  [{}, person, { subject: 'Нет на месте: Принтер не печатает' }, 'auto_reply'],
  // list and bulk mail
  [{ precedence: 'bulk' }, person, {}, 'bulk'],
  [{ precedence: 'junk' }, person, {}, 'bulk'],
  [{ precedence: 'list' }, person, {}, 'bulk'],
  [{ 'list-id': '<news.x.example>' }, person, {}, 'bulk'],
  [{ 'list-unsubscribe': '<mailto:unsub@x.example>' }, person, {}, 'bulk'],
  [{ 'mailing-list': 'list dev@x.example; contact dev-help@x.example' }, person, {}, 'bulk'],
  // senders that read no answers
  ...['no-reply', 'noreply', 'NoReply', 'donotreply', 'do-not-reply', 'do_not_reply', 'bounce', 'bounces', 'bounces+abc=x.example']
    .map((local): [Record<string, string>, string, DecodedFields, string] => [{}, `${local}@x.example`, {}, 'no_reply']),
  // people, even when their words look like a robot's
  [{ 'auto-submitted': 'no' }, person, {}, null],
  [{ 'auto-submitted': 'No' }, person, {}, null],
  [{ precedence: 'first-class' }, person, {}, null],
  [{}, person, { subject: 'Delivery of the new printer' }, null],
  [{}, person, { subject: 'Auto insurance documents' }, null],
  [{}, person, { subject: 'Automatic reply does not work in our open lines' }, null],
  [{}, person, { subject: 'Автоответ не работает' }, null],
  [{}, person, { subject: 'Нет на месте принтер в бухгалтерии' }, null],
  [{}, person, { subject: 'Нет на месте' }, 'auto_reply'],
  [{}, person, { subject: 'Out of office.' }, 'auto_reply'],
  [{}, person, { subject: 'Undeliverable invoices from your portal' }, null],
  [{}, person, { subject: 'Fwd: Undeliverable: Счёт' }, null],
  [{}, person, { subject: 'Re: Out of office schedule' }, null],
  [{}, 'replyto@x.example', { fromName: 'Mail Delivery Team Lead' }, null],
  [{}, 'bouncer@x.example', {}, null],
  [{}, 'noreplyanna@x.example', {}, null],
  [{ 'return-path': '<ivan@x.example>' }, 'ivan@x.example', {}, null],
])('%j from %s %j is %s', (h, from, decoded, expected) => {
  expect(detectAutoMail(headers(h), from, decoded)).toBe(expected);
});

test.each([
  ['MAILER-DAEMON@x.example', true], ['noreply@x.example', true], ['do-not-reply@x.example', true], ['bounces@x.example', true],
  ['ivan@x.example', false], ['bouncer@x.example', false],
])('%s reads no answers: %s', (address, expected) => {
  expect(isMachineAddress(address)).toBe(expected);
});
