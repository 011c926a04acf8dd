import crypto from 'node:crypto';
import { deliver, fixture } from '../../harness/app.js';
import { useMailApp } from '../../harness/mail-app.js';
import { eventually } from '../../harness/wait.js';
import { listMessages } from '../../../tickets/store/message-repo.js';
import { loadTicketCard } from '../../../bot/load-ticket-cards.js';
import { renderDispatchMessage } from '../../../bot/render-dispatch-message.js';

const ctx = useMailApp();

async function storedMail(messageId: string) {
  const [row] = await ctx.app.core.db.query<{ ticket_id: number }>('select ticket_id from messages where message_id = $1', [messageId]);
  if (!row) return null;
  const [msg] = await listMessages(ctx.app.core.db, row.ticket_id);
  const [ticket] = await ctx.app.core.db.query<{ number: number; unparsed: boolean; requester_email: string | null }>(
    'select number, unparsed, requester_email from tickets where id = $1', [row.ticket_id]);
  return { msg, ticket, ticketId: row.ticket_id };
}

test('a mail without From keeps its text, HTML and attachment, takes Reply-To as sender, is marked, and is not acknowledged', async () => {
  await deliver(ctx.t.mailboxUser, [fixture('no-from.eml')]);
  const { msg, ticket, ticketId } = await eventually('the From-less mail', () => storedMail('no-from-1@client-nofrom.example'));
  expect(ticket.unparsed).toBe(false);
  expect(ticket.requester_email).toBe('petr@client-nofrom.example');
  expect(msg.subject).toBe('Акт сверки без отправителя');
  expect(msg.bodyText).toContain('Высылаю акт сверки, прошу подписать.');
  expect(msg.bodyHtml).toContain('<b>акт сверки</b>');
  expect(msg.attachments).toEqual([expect.objectContaining({
    filename: 'akt.txt', sha256: crypto.createHash('sha256').update('Акт сверки за ноябрь\n').digest('hex') })]);
  expect((await ctx.app.core.blobs.get(msg.attachments[0].sha256!)).toString()).toBe('Акт сверки за ноябрь\n');

  // The dispatchers see it marked, in either language.
  const card = (await loadTicketCard(ctx.app.core.db, ticketId))!.card;
  expect(renderDispatchMessage(card, [], 'ru').text).toContain('отправитель не определён');
  expect(renderDispatchMessage(card, [], 'en').text).toContain('unknown sender');

  const all = await listMessages(ctx.app.core.db, ticketId);
  expect(all.filter((m) => m.direction === 'out')).toEqual([]);
});

test.each([
  ['from-without-address.eml', 'no-at-1@mailer-noat.example', 'ivan.bounces@mailer-noat.example', 'Ivan Petrov', 'jams on every page'],
  ['two-from.eml', 'two-from-1@twofrom.example', 'anna@twofrom.example', 'Anna', 'Anna or Boris'],
])('%s: kept whole with the best address the headers give, marked unknown, not acknowledged', async (file, mid, address, name, text) => {
  await deliver(ctx.t.mailboxUser, [fixture(file)]);
  const { msg, ticketId } = await eventually(file, () => storedMail(mid));
  expect(msg.fromAddress).toBe(address);
  expect(msg.fromName).toBe(name);
  expect(msg.bodyText).toContain(text);
  expect(msg.unparsed).toBe(false);
  expect((await loadTicketCard(ctx.app.core.db, ticketId))!.card.senderUnknown).toBe(true);
});

test('a mail with a good From is not marked, and is acknowledged', async () => {
  await deliver(ctx.t.mailboxUser, [fixture('plain.eml')]);
  const [row] = await eventually('plain ticket', () => ctx.app.core.db.query<{ ticket_id: number }>(
    `select ticket_id from messages where subject = 'Printer does not print'`).then((r) => r.length > 0 && r));
  expect((await loadTicketCard(ctx.app.core.db, row.ticket_id))!.card.senderUnknown).toBeUndefined();
  await eventually('its acknowledgement', async () => ctx.smtp.received.find((r) => r.mail.subject?.includes('Printer does not print')));
  // Only that one: the marked mails above got none.
  expect(ctx.smtp.received.map((r) => r.rcptTo).flat()).toEqual(['ivan@acme.example']);
});
