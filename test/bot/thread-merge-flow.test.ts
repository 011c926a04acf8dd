import { sampleRoles } from '../../sandbox/index.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dialog, dispatchDialog, messageNow, waitForMessage, type SandboxMessage } from '../harness/messenger.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { eventually } from '../harness/wait.js';

const { dispatcher, specialists } = sampleRoles;
const [volkov, taylor] = specialists;
let ctx: SandboxApp;

// PostgreSQL, one mail per slice and four slices at a time: a mail and its reply really are
// ingested in two transactions at once.
beforeAll(async () => { ctx = await startSandboxApp({ MAIL_FETCH_BATCH: '1', INGEST_CONCURRENCY: '4' }, 'postgres'); }, 60_000);
afterAll(async () => { await ctx.close(); });

const db = () => ctx.app.core.db;
const ticketOf = async (messageId: string) => eventually(`the ticket of ${messageId}`, async () =>
  (await db().query<{ id: number; number: number; status: string }>(
    'select t.id, t.number, t.status from tickets t join messages m on m.ticket_id = t.id where m.message_id = $1', [messageId]))[0]);
const acksSentFor = (subject: string) => ctx.smtp.received.filter((r) => r.mail.subject?.includes(subject));

test('a reply ingested at the same moment as its original opens no ticket, acknowledgement or dispatch card of its own', async () => {
  await ctx.app.core.queues.ingest.pause();
  await deliver(ctx.t.mailboxUser, [
    clientMail({ from: 'Olga <olga@romashka.example>', subject: 'Re: VPN drops', text: 'Still dropping today.', messageId: 'vpn-2@romashka.example', inReplyTo: 'vpn-1@romashka.example' }),
    clientMail({ from: 'Olga <olga@romashka.example>', subject: 'VPN drops', text: 'VPN drops every hour.', messageId: 'vpn-1@romashka.example' }),
  ]);
  // Both slices parsed and queued, then taken together by the worker: two transactions in flight.
  await eventually('two ingest slices queued', async () => {
    const c = await ctx.app.core.queues.ingest.getJobCounts('wait');
    return c.wait >= 2;
  });
  await ctx.app.core.queues.ingest.resume();
  const original = await ticketOf('vpn-1@romashka.example');
  const reply = await ticketOf('vpn-2@romashka.example');
  expect(reply.id).toBe(original.id);
  const [{ n }] = await db().query<{ n: number }>(
    `select count(*)::int as n from tickets where requester_email = 'olga@romashka.example' and subject like '%VPN drops'`);
  expect(n).toBe(1);
  const chat = await dispatchDialog(ctx);
  await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${original.number}\\[/b\\]`));
  await eventually('the acknowledgement', async () => acksSentFor('VPN drops').length > 0);
  // Every mail of the thread is in and announced: the bot has nothing left to post about it.
  await eventually('both mails announced', async () => (await db().query(
    `select 1 from messages where ticket_id = $1 and bot_pending`, [original.id])).length === 0);
  await eventually('the sender idle', async () => (await db().query(`select 1 from messages where send_state = 'pending'`)).length === 0);
  expect(acksSentFor('VPN drops').map((r) => r.mail.subject)).toHaveLength(1);
  expect(dialog(ctx.sandbox, dispatcher, chat).filter((m) => /VPN drops/.test(m.text))).toHaveLength(1);
}, 90_000);

async function assign(chat: string, number: number, person: string): Promise<SandboxMessage> {
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\[/b\\]`));
  click(ctx, dispatcher, card, '1st line');
  const people = await eventually('the 1st line', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return buttonTexts(m).includes(person) ? m : null;
  });
  click(ctx, dispatcher, people, person);
  await eventually(`#${number} assigned`, async () => buttonTexts(messageNow(ctx, dispatcher, chat, card.id)!).length === 0);
  return card;
}

test('a ticket opened by an early reply, both assigned: merged into the thread\'s ticket, its card says where, both assignees told', async () => {
  const chat = await dispatchDialog(ctx);
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'ivan@vector.example', subject: 'CRM export fails', text: 'Export to Excel fails.', messageId: 'crm-1@vector.example' })]);
  const root = await ticketOf('crm-1@vector.example');
  await assign(chat, root.number, 'Дмитрий Волков');
  // The third mail of the thread comes first; it names only its parent, which is still missing.
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'ivan@vector.example', subject: 'Re: CRM export fails', text: 'Same with CSV.', messageId: 'crm-3@vector.example', inReplyTo: 'crm-2@vector.example' })]);
  const early = await ticketOf('crm-3@vector.example');
  expect(early.id).not.toBe(root.id);
  const earlyCard = await assign(chat, early.number, 'Anna Taylor');
  const annaCard = await waitForMessage(ctx, taylor, String(ctx.bot.botId), (m) => m.text.includes(`#${early.number}[/b]`) && buttonTexts(m).length > 0);

  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'ivan@vector.example', subject: 'Re: CRM export fails', text: 'Logs attached.', messageId: 'crm-2@vector.example', inReplyTo: 'crm-1@vector.example' })]);
  expect((await ticketOf('crm-2@vector.example')).id).toBe(root.id);
  await eventually('the early reply on the thread\'s ticket', async () => (await ticketOf('crm-3@vector.example')).id === root.id);

  const edited = await eventually('the absorbed ticket\'s dispatch card edited', async () => {
    const m = messageNow(ctx, dispatcher, chat, earlyCard.id)!;
    return new RegExp(`(Объединено с|Merged into) #${root.number}`).test(m.text) ? m : null;
  });
  expect(buttonTexts(edited)).toEqual([]);
  const annaNow = await eventually('Anna\'s card edited', async () => {
    const m = messageNow(ctx, taylor, String(ctx.bot.botId), annaCard.id)!;
    return m.text.includes(`#${root.number}`) ? m : null;
  });
  expect(buttonTexts(annaNow)).toEqual([]);
  await waitForMessage(ctx, taylor, String(ctx.bot.botId), new RegExp(`#${early.number}.*#${root.number}.*Дмитрий Волков`, 's'));
  await waitForMessage(ctx, volkov, String(ctx.bot.botId), new RegExp(`#${early.number}.*#${root.number}`, 's'));
  // The thread's ticket keeps its owner; the absorbed one ends merged, nothing deleted.
  const rows = await db().query<{ number: number; status: string; name: string | null; merged_into: number | null }>(
    `select t.number, t.status, e.name, t.merged_into from tickets t left join employees e on e.id = t.assignee_id where t.id = any($1) order by t.id`,
    [[root.id, early.id]]);
  expect(rows).toEqual([
    { number: root.number, status: 'assigned', name: 'Дмитрий Волков', merged_into: null },
    { number: early.number, status: 'merged', name: 'Anna Taylor', merged_into: root.id },
  ]);
  const [{ n }] = await db().query<{ n: number }>(`select count(*)::int as n from messages where ticket_id = $1 and direction = 'in'`, [root.id]);
  expect(n).toBe(3);
}, 120_000);
