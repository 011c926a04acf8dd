import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { hookClient } from '../sandbox/sandbox-helpers.js';

const { dispatcher, departments } = sampleRoles;
let ctx: SandboxApp;
// The directory is re-read every second instead of every 10 minutes.
beforeAll(async () => { ctx = await startSandboxApp({ BOT_DIRECTORY_SYNC_SECONDS: '1' }); }, 300_000);
afterAll(async () => { await ctx.close(); });

async function cardFor(subject: string, id: string) {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject, text: 'Подробности.', messageId: `${id}@romashka.example` })]);
  const [{ number }] = await eventually(`ticket "${subject}"`, async () => {
    const rows = await ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]);
    return rows.length ? rows : null;
  });
  const chat = await dispatchDialog(ctx);
  return { chat, card: await waitForMessage(ctx, dispatcher, chat, (m) => m.text.includes(`#${number}`) && !m.text.startsWith('Не назначено')) };
}

test('a department renamed on the portal is renamed on the next card; one deleted there is offered no more', async () => {
  const before = await cardFor('До изменений', 'dir1');
  expect(buttonTexts(before.card)).toEqual(['1st line', '2nd line', 'Не обращение']);

  // A portal administrator renames the 1st line and deletes the 2nd (through the REST API, as the portal's own UI would).
  const b24 = hookClient(ctx.sandbox);
  expect((await b24.actions.v2.call.make({ method: 'department.update', params: { ID: departments.firstLine, NAME: 'Первая линия' } })).getData()!.result).toBe(true);
  expect((await b24.actions.v2.call.make({ method: 'department.delete', params: { ID: departments.secondLine } })).getData()!.result).toBe(true);
  await eventually('the directory re-read', async () => {
    const rows = await ctx.app.core.db.query<{ name: string }>('select name from departments where is_support order by name');
    return rows.map((r) => r.name).join() === 'Первая линия' ? rows : null;
  });

  const after = await cardFor('После изменений', 'dir2');
  expect(buttonTexts(after.card)).toEqual(['Первая линия', 'Не обращение']);
  click(ctx, dispatcher, after.card, 'Первая линия');
  const people = await eventually('the renamed department\'s people', async () => {
    const m = messageNow(ctx, dispatcher, after.chat, after.card.id)!;
    return buttonTexts(m).includes('Дмитрий Волков') ? m : null;
  });
  expect(people.text).toContain('Первая линия');
}, 120_000);

test('each person\'s gender is read from the portal (PERSONAL_GENDER), so the bot\'s Russian verbs agree with it', async () => {
  const rows = await ctx.app.core.db.query<{ b24_user_id: string; name: string; gender: string | null }>(
    'select b24_user_id, name, gender from employees where b24_user_id = any($1::text[]) order by name', [[dispatcher, ...sampleRoles.specialists].map(String)]);
  const portal = new Map(ctx.sandbox.users().map((u) => [String(u.id), u.gender || null]));
  expect(rows.length).toBeGreaterThan(1);
  for (const r of rows) expect(r.gender).toBe(portal.get(r.b24_user_id));
  expect(rows.find((r) => r.b24_user_id === String(dispatcher))?.gender).toBe('F');
});
