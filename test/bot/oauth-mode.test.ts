import { sampleRoles } from '../../sandbox/index.js';
import { startOAuthSandboxApp, portalBot, type OAuthSandboxApp } from '../harness/oauth-app.js';
import { deliver } from '../harness/app.js';
import { assignFromDispatchCard, buttonTexts, click, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { loadTokens } from '../../connectors/bitrix24/oauth-store.js';

// The whole app as a local OAuth application: installed through the sandbox, events pushed
// (bot events to the bot's webhookUrl, task events through event.bind), uninstalled, reinstalled.
// The task poll is an hour: what reaches the specialist here came by push.
const { dispatcher, specialists, developers } = sampleRoles;
const specialist = specialists[0];
let ctx: OAuthSandboxApp;
beforeAll(async () => {
  ctx = await startOAuthSandboxApp({ BOT_TASK_POLL_SECONDS: '3600' });
  // PGlite's first start (WASM, every migration) takes long on a busy machine.
}, 180_000);
afterAll(async () => { await ctx.close(); });

const db = () => ctx.app.core.db;
const ticketOf = async (subject: string) => eventually(`ticket "${subject}"`, async () =>
  (await db().query<{ id: number; number: number; status: string }>('select id, number, status from tickets where subject = $1', [subject]))[0]);

test('before the install nothing runs and /readyz says "not installed"; the install starts the bot and binds its events', async () => {
  const before = await ctx.app.b24!.check();
  expect(before).toEqual({ ok: false, detail: { mode: 'oauth', bot: 'not installed' } });
  expect(ctx.sandbox.requestLog().filter((r) => r.auth === 'app')).toEqual([]);

  await ctx.install();
  const bound = ctx.sandbox.requestLog().filter((r) => r.method === 'event.bind').map((r) => (r.params as { event: string }).event);
  expect(bound.sort()).toEqual(['ONAPPUNINSTALL', 'ONTASKCOMMENTADD', 'ONTASKUPDATE']);
  expect(await ctx.app.b24!.check()).toEqual({ ok: true, detail: { mode: 'oauth', bot: 'running' } });

  // A restart binds nothing twice.
  await ctx.restart();
  await eventually('running again', async () => (await ctx.app.b24!.check()).ok);
  expect(ctx.sandbox.requestLog().filter((r) => r.method === 'event.bind')).toHaveLength(3);
}, 90_000);

test('a developer\'s comment and the task\'s completion reach the specialist by push', async () => {
  const botDialog = String(ctx.bot.botId);
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject: 'Не проходит оплата', text: 'Подробности', messageId: 'oa1@romashka.example' })]);
  const { number } = await ticketOf('Не проходит оплата');
  const card = await assignFromDispatchCard(ctx, number, '1st line', { id: specialist, name: 'Дмитрий Волков' });
  const press = async (text: string) => click(ctx, specialist, await eventually(`button ${text}`, async () => {
    const m = messageNow(ctx, specialist, botDialog, card.id);
    return m && buttonTexts(m).includes(text) ? m : null;
  }), text);
  await press('Разработчику');
  await press('Павел Соколов');
  const created = await waitForMessage(ctx, specialist, botDialog, new RegExp(`По #${number} создана задача (\\d+)`));
  const taskId = Number(/задача (\d+)/.exec(created.text)![1]);

  ctx.sandbox.commentTask({ userId: developers[0], taskId, text: 'Причина найдена: сертификат банка' });
  await waitForMessage(ctx, specialist, botDialog, (m) => m.text.includes(`Павел Соколов прокомментировал задачу по #${number}:`)
    && m.text.includes('сертификат банка'));
  expect(ctx.sandbox.pushLog().filter((p) => p.event === 'ONTASKCOMMENTADD').map((p) => p.status)).toContain(200);

  ctx.sandbox.completeTask({ userId: developers[0], taskId });
  await waitForMessage(ctx, specialist, botDialog, new RegExp(`Задача ${taskId} по #${number} выполнена`));
  expect((await ticketOf('Не проходит оплата')).status).toBe('in_progress');
}, 120_000);

test('a genuinely signed event for another bot of the portal is ignored', async () => {
  const botDialog = String(ctx.bot.botId);
  const helps = () => ctx.sandbox.dialogMessages(dispatcher, botDialog).filter((m) => String(m.text).startsWith('Команды:')).length;
  const before = helps();
  ctx.sandbox.writeMessage({ userId: dispatcher, dialogId: botDialog, text: '/help' });
  await ctx.sandbox.settlePushes();
  await eventually('the help', async () => helps() === before + 1);
  // The same push, as if for another bot: signed with our application_token, sent again.
  const push = ctx.sandbox.pushLog().filter((p) => p.event === 'ONIMBOTV2COMMANDADD').at(-1)!;
  const forOther = push.body.replace(`data%5Bbot%5D%5Bid%5D=${ctx.bot.botId}&`, 'data%5Bbot%5D%5Bid%5D=999999&');
  expect(forOther).not.toBe(push.body);
  const res = await fetch(`${ctx.publicUrl}/b24/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forOther });
  expect(res.status).toBe(200);
  await eventually('the event handled', async () => {
    const counts = await ctx.app.b24!.eventsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
  expect(helps()).toBe(before + 1);
  // Events are handled one at a time, in order: the next /help is answered once, as it should be.
  ctx.sandbox.writeMessage({ userId: dispatcher, dialogId: botDialog, text: '/help' });
  await ctx.sandbox.settlePushes();
  await eventually('the second help', async () => helps() === before + 2);
  expect(helps()).toBe(before + 2);
}, 60_000);

test('uninstall stops the bot and every call to the portal; a verified reinstall starts it again', async () => {
  const code = ctx.t.env.B24_BOT_CODE;
  ctx.sandbox.uninstallApp(ctx.clientId);
  await ctx.sandbox.settlePushes();
  expect(ctx.sandbox.pushLog().at(-1)).toMatchObject({ event: 'ONAPPUNINSTALL', status: 200 });
  expect(await loadTokens(db())).toBeNull();
  await eventually('not installed', async () => !(await ctx.app.b24!.check()).ok);
  expect(await ctx.app.b24!.check()).toEqual({ ok: false, detail: { mode: 'oauth', bot: 'not installed' } });

  // No outbound call: a call made now is refused here, and the portal sees nothing.
  ctx.sandbox.clearRequestLog();
  await expect(ctx.app.b24!.b24.call('user.get', { ID: 1 })).rejects.toMatchObject({ code: 'NO_AUTH_FOUND' });
  expect(ctx.sandbox.requestLog()).toEqual([]);

  await ctx.install();
  expect(portalBot(ctx.sandbox, code)).not.toBeNull();
  // The reinstalled bot works: a new mail reaches its (new) dispatch chat.
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject: 'После переустановки', text: 'Снова вопрос', messageId: 'oa2@romashka.example' })]);
  const { number } = await ticketOf('После переустановки');
  await waitForMessage(ctx, dispatcher, await dispatchDialog(ctx), new RegExp(`#${number}\\b`));
}, 120_000);
