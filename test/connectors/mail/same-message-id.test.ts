import { deliver } from '../../harness/app.js';
import { useMailApp } from '../../harness/mail-app.js';
import { eventually } from '../../harness/wait.js';

const ctx = useMailApp({ engine: 'pglite' });

const mail = (o: { from: string; subject: string; body: string; id: string; date?: string; received?: string }) =>
  `${o.received ? `Received: ${o.received}\r\n` : ''}From: ${o.from}\r\nTo: support@modest.example\r\nSubject: ${o.subject}\r\n`
  + `Date: ${o.date ?? 'Fri, 04 Dec 2026 09:00:00 +0300'}\r\nMessage-ID: <${o.id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${o.body}\r\n`;

async function stored(messageId: string) {
  return ctx.app.core.db.query<{ ticket_id: number; from_address: string; body_text: string }>(
    `select ticket_id, from_address, body_text from messages where message_id = $1 and direction = 'in' order by id`, [messageId]);
}
const receipts = async () => (await ctx.app.core.db.query('select 1 from mail_receipts')).length;

test('two different mails under one Message-ID are both kept, each on its own ticket and acknowledged', async () => {
  // A ticketing tool that stamps every mail with the same id.
  await deliver(ctx.t.mailboxUser, [
    mail({ from: 'alerts@tool.example', subject: 'Disk full on srv1', body: 'srv1: /var is 98% full', id: 'fixed@tool.example' }),
    mail({ from: 'alerts@tool.example', subject: 'Backup failed on srv2', body: 'srv2: backup job failed',
      id: 'fixed@tool.example', date: 'Fri, 04 Dec 2026 09:05:00 +0300' }),
  ]);
  const rows = await eventually('both mails', async () => { const r = await stored('fixed@tool.example'); return r.length === 2 && r; });
  expect(rows.map((r) => r.body_text)).toEqual(['srv1: /var is 98% full', 'srv2: backup job failed']);
  expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(2);
  const acks = await eventually('two acknowledgements', async () => {
    const a = ctx.smtp.received.filter((r) => r.rcptTo.includes('alerts@tool.example'));
    return a.length === 2 && a;
  });
  expect(acks.map((a) => a.mail.subject)).toEqual(expect.arrayContaining([
    expect.stringContaining('Backup failed on srv2'), expect.stringContaining('Disk full on srv1')]));
});

test('an exact re-delivery of either is still deduplicated', async () => {
  const before = await receipts();
  await deliver(ctx.t.mailboxUser, [
    mail({ from: 'alerts@tool.example', subject: 'Backup failed on srv2', body: 'srv2: backup job failed',
      id: 'fixed@tool.example', date: 'Fri, 04 Dec 2026 09:05:00 +0300' }),
    mail({ from: 'alerts@tool.example', subject: 'Disk full on srv1', body: 'srv1: /var is 98% full', id: 'fixed@tool.example' }),
  ]);
  await eventually('both copies taken', async () => (await receipts()) === before + 2);
  expect(await stored('fixed@tool.example')).toHaveLength(2);
});

test('the same message by another route (other Received lines: same sender, Date and text) is deduplicated', async () => {
  const base = { from: 'Olga <olga@route.example>', subject: 'VPN is down', body: 'VPN does not connect since 9:00.', id: 'vpn-1@route.example' };
  await deliver(ctx.t.mailboxUser, [mail(base)]);
  await eventually('the first copy', async () => (await stored('vpn-1@route.example')).length === 1);
  const before = await receipts();
  await deliver(ctx.t.mailboxUser, [mail({ ...base, received: 'from relay2.route.example by mx.modest.example; Fri, 04 Dec 2026 09:00:05 +0300' })]);
  await eventually('the second copy taken', async () => (await receipts()) === before + 1);
  expect(await stored('vpn-1@route.example')).toHaveLength(1);
  // One acknowledgement, not two.
  await eventually('its ack', async () => ctx.smtp.received.find((r) => r.rcptTo.includes('olga@route.example')));
  expect(ctx.smtp.received.filter((r) => r.rcptTo.includes('olga@route.example'))).toHaveLength(1);
});

test('a reply in the same thread with a new text but a reused Message-ID is kept too', async () => {
  await deliver(ctx.t.mailboxUser, [mail({ from: 'Olga <olga@route.example>', subject: 'VPN is down', body: 'Now it works, thanks.',
    id: 'vpn-1@route.example', date: 'Fri, 04 Dec 2026 11:00:00 +0300' })]);
  const rows = await eventually('both', async () => { const r = await stored('vpn-1@route.example'); return r.length === 2 && r; });
  expect(rows[1].body_text).toBe('Now it works, thanks.');
});

test('a second mail under an id we have already answered opens its own ticket: our acknowledgement names that id, but it is not a reply from anyone', async () => {
  await deliver(ctx.t.mailboxUser, [mail({ from: 'alerts@later.example', subject: 'Disk full on srv3', body: 'srv3: /home is 99% full', id: 'reused@later.example' })]);
  await eventually('the first acknowledgement', async () => ctx.smtp.received.find((r) => r.rcptTo.includes('alerts@later.example')));
  await deliver(ctx.t.mailboxUser, [mail({ from: 'alerts@later.example', subject: 'Certificate expires on srv4', body: 'srv4: certificate expires in 3 days',
    id: 'reused@later.example', date: 'Fri, 04 Dec 2026 10:00:00 +0300' })]);
  const rows = await eventually('both mails', async () => { const r = await stored('reused@later.example'); return r.length === 2 && r; });
  expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(2);
});
