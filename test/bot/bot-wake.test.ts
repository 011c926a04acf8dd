import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { clientMail, dispatchDialog, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

let ctx: SandboxApp;
// The scheduled tick comes once an hour here: only the ingest worker's wake can post the card in time.
beforeAll(async () => { ctx = await startSandboxApp({ BOT_TICK_SECONDS: '3600' }); }, 120_000);
afterAll(async () => { await ctx.close(); });

test('a new ticket reaches the dispatch chat as soon as its mail is committed, not at the next scheduled tick', async () => {
  const chat = await dispatchDialog(ctx);
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject: 'Не открывается отчёт', text: 'Отчёт по продажам не открывается.', messageId: 'wake1@romashka.example' })]);
  const { number } = await eventually('the ticket', async () =>
    (await ctx.app.core.db.query<{ number: number }>(`select number from tickets where subject = 'Не открывается отчёт'`))[0]);
  const card = await waitForMessage(ctx, sampleRoles.dispatcher, chat, new RegExp(`#${number}`));
  expect(card.text).toContain('Не открывается отчёт');
}, 90_000);
