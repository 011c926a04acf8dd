import { RestError } from '../../sandbox/index.js';
import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { clientMail, dialog, dispatchDialog, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher } = sampleRoles;
const SEND = 'imbot.v2.Chat.Message.send';
let ctx: SandboxApp;
beforeAll(async () => { ctx = await startSandboxApp(); }, 180_000);
afterAll(async () => { await ctx.close(); });

test('a 500, then a connection reset after the portal posted: the card appears once and the ticket knows its message', async () => {
  const chat = await dispatchDialog(ctx);
  const since = ctx.sandbox.requestLog().at(-1)?.seq ?? 0;
  // First attempt: the portal fails before acting. Second: it posts, and the connection drops
  // before its answer leaves. The third must find the message posted by the second.
  ctx.sandbox.overrideMethod(SEND, () => {
    ctx.sandbox.overrideMethod(SEND, null);
    // Armed once this request is answered (it may be a batch): the next send is the one reset.
    setTimeout(() => ctx.sandbox.setFaults({ resetNext: 1, resetMethod: SEND }), 0);
    throw new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject: 'Сброс соединения', text: 'Проверка.', messageId: 'reset1@romashka.example' })]);
  const { id: ticketId, number } = await eventually('the ticket', async () => (await ctx.app.core.db.query<{ id: number; number: number }>(
    'select id, number from tickets where subject = $1', ['Сброс соединения']))[0]);
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  const post = await eventually('the card recorded on the ticket', async () => (await ctx.app.core.db.query<{ message_id: number | null }>(
    'select message_id from bot_posts where ticket_id = $1 and role = $2', [ticketId, 'dispatch']))[0]?.message_id);
  expect(Number(post)).toBe(card.id);
  await eventually('the announcement finished', async () => (await ctx.app.core.db.query(
    'select 1 from bot_events where done_at is null')).length === 0);
  expect(dialog(ctx.sandbox, dispatcher, chat).filter((m) => new RegExp(`#${number}\\b`).test(m.text))).toHaveLength(1);
  // The faults really happened: a refused attempt, then one the portal acted on without answering.
  const sends = ctx.sandbox.requestLog(since).filter((e) => e.method === SEND || e.subCalls.includes(SEND));
  const reset = sends.findIndex((e) => e.error === 'CONNECTION_RESET');
  expect(reset).toBeGreaterThan(0);
  expect(sends.length).toBeGreaterThan(reset + 1);
}, 90_000);
