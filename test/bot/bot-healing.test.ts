import { RestError, sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, clientMail, dialog, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher, admin } = sampleRoles;
let ctx: SandboxApp;
beforeAll(async () => { ctx = await startSandboxApp({ BOT_REMIND_INTERVAL_SECONDS: '2' }); }, 300_000);
afterAll(async () => { await ctx.close(); });

let n = 0;
async function newTicket(subject: string): Promise<number> {
  n += 1;
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject, text: `${subject}: подробности.`, messageId: `heal${n}@romashka.example` })]);
  return eventually(`ticket "${subject}"`, async () =>
    (await ctx.app.core.db.query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]?.number);
}

/** The ticket's own card (not a reminder listing it). */
const cardOf = (number: number) => (m: { text: string }) => new RegExp(`#${number}\\b`).test(m.text) && !/^Не назначено обращений/.test(m.text);
const chatNumber = (dialogId: string) => Number(dialogId.replace(/^chat/, ''));
const healNotices = (dialogId: string) => dialog(ctx.sandbox, dispatcher, dialogId).filter((m) => /диспетчерск|^Прежний чат/.test(m.text));
/** REST requests (direct or inside a batch) that name this dialog. */
const callsNaming = (dialogId: string) => ctx.sandbox.requestLog()
  .filter((e) => new RegExp(`dialogId(%22)?[=":]+"?${dialogId}\\b`).test(JSON.stringify(e.params))).length;
const readiness = () => ctx.app.b24!.check() as Promise<{ ok: boolean; detail: { bot: string } }>;

test('a deleted dispatch chat is made again: open tickets re-posted, dispatchers told once, the dead chat not called again', async () => {
  const first = await newTicket('Не открывается CRM');
  const oldChat = await dispatchDialog(ctx);
  await waitForMessage(ctx, dispatcher, oldChat, cardOf(first));
  expect(ctx.sandbox.deleteChat(chatNumber(oldChat))).toBe(true);

  const second = await newTicket('Не приходят уведомления');
  const newChat = await eventually('a new dispatch chat', async () => {
    const now = await dispatchDialog(ctx);
    return now !== oldChat ? now : null;
  });
  for (const number of [first, second]) {
    const card = await waitForMessage(ctx, dispatcher, newChat, cardOf(number));
    expect(buttonTexts(card)).toEqual(['1st line', '2nd line', 'Не обращение']);
  }
  // The director is a configured dispatcher too: the new chat has both.
  await waitForMessage(ctx, admin, newChat, cardOf(first));
  const notices = healNotices(newChat);
  expect(notices).toHaveLength(1);
  expect(notices[0].text).toMatch(/Прежний чат диспетчерской недоступен/);
  expect(notices[0].text).toMatch(/Открытые неназначенные обращения \(\d\)/);
  expect((await readiness()).ok).toBe(true);

  // Later traffic (a new ticket, reminders) goes to the new chat only; nobody keeps calling the dead one.
  const deadCalls = callsNaming(oldChat);
  expect(deadCalls).toBeGreaterThan(0);
  const third = await newTicket('Ошибка импорта');
  await waitForMessage(ctx, dispatcher, newChat, cardOf(third));
  await waitForMessage(ctx, dispatcher, newChat, /^Не назначено обращений/);
  expect(callsNaming(oldChat)).toBe(deadCalls);
  expect(healNotices(newChat)).toHaveLength(1);
}, 120_000);

test('a removed bot registers again (readiness red while it cannot), gets a new dispatch chat, and its buttons work', async () => {
  const oldBot = ctx.bot.botId;
  const oldChat = await dispatchDialog(ctx);
  const open = await ctx.app.core.db.query<{ number: number }>(`select number from tickets where status = 'new' order by number`);
  expect(open.length).toBeGreaterThan(0);
  ctx.sandbox.overrideMethod('imbot.v2.Bot.register', () => { throw new RestError(400, 'BOT_REGISTER_FAILED', 'Bot registration failed'); });
  expect(ctx.sandbox.removeBot(oldBot)).toBe(true);

  const red = await eventually('readiness red', async () => {
    const r = await readiness();
    return !r.ok && /registration failed.*BOT_REGISTER_FAILED/.test(r.detail.bot) ? r : null;
  });
  expect(red.ok).toBe(false);
  ctx.sandbox.overrideMethod('imbot.v2.Bot.register', null);

  await eventually('a new bot', async () => ctx.bot.botId !== oldBot, 30_000);
  await eventually('readiness green', async () => (await readiness()).ok, 30_000);
  const newChat = await eventually('a new dispatch chat', async () => {
    const now = await dispatchDialog(ctx);
    return now !== oldChat ? now : null;
  });
  for (const { number } of open) await waitForMessage(ctx, dispatcher, newChat, cardOf(number));
  const notices = healNotices(newChat);
  expect(notices).toHaveLength(1);
  expect(notices[0].text).toMatch(/Бот был удалён с портала и зарегистрирован заново/);

  const later = await newTicket('Не работает телефония');
  const card = await waitForMessage(ctx, dispatcher, newChat, cardOf(later));
  expect(card.authorId).toBe(ctx.bot.botId);
  click(ctx, dispatcher, card, '1st line');
  await eventually('the employees of the 1st line', async () => buttonTexts(messageNow(ctx, dispatcher, newChat, card.id)!).includes('Дмитрий Волков'));
}, 120_000);
