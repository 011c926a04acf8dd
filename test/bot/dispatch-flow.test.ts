import { sampleRoles } from '../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { deliver } from '../harness/app.js';
import { buttonTexts, click, dialog, clientMail, dispatchDialog, messageNow, waitForMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';

const { dispatcher, admin, specialists } = sampleRoles;
let ctx: SandboxApp;
// Reminders every 3 s instead of 5 min, so the test sees a few.
// PGlite's first start (WASM, every migration) takes long on a busy machine.
beforeAll(async () => { ctx = await startSandboxApp({ BOT_REMIND_INTERVAL_SECONDS: '3' }); }, 180_000);
afterAll(async () => { await ctx.close(); });

const ticketNumber = async (subject: string) => eventually(`ticket "${subject}"`, async () =>
  (await ctx.app.core.db.query<{ number: number; status: string }>('select number, status from tickets where subject = $1', [subject]))[0]);

test('a mail becomes a dispatch message; department then employee assigns it and the specialist gets the card', async () => {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'Olga <olga@romashka.example>', subject: 'Не печатает принтер', text: 'Принтер в бухгалтерии не печатает с утра.', messageId: 'p1@romashka.example' })]);
  const { number } = await ticketNumber('Не печатает принтер');
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}`));
  expect(card.text).toContain('Не печатает принтер');
  expect(card.text).toContain('olga@romashka.example');
  expect(card.text).toContain('Принтер в бухгалтерии');
  expect(buttonTexts(card)).toEqual(['1st line', '2nd line', 'Не обращение']);

  click(ctx, dispatcher, card, '1st line');
  const people = await eventually('the employees of the 1st line', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return buttonTexts(m).includes('Дмитрий Волков') ? m : null;
  });
  expect(buttonTexts(people)).toEqual(['Anna Taylor', 'Дмитрий Волков', 'Ольга Кузнецова', '« Назад']);

  click(ctx, dispatcher, people, 'Дмитрий Волков');
  const assigned = await eventually('the assignment shown', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return /Назначено: Дмитрий Волков \(назначила Ольга Кузнецова в \d\d:\d\d\)/.test(m.text) ? m : null;
  });
  expect(buttonTexts(assigned)).toEqual([]);
  const dm = await waitForMessage(ctx, specialists[0], String(ctx.bot.botId), new RegExp(`#${number}`));
  expect(buttonTexts(dm)).toEqual(['Принять', 'Ответить', 'Разработчику', 'Закрыть', 'Передать']);
  expect((await ticketNumber('Не печатает принтер')).status).toBe('assigned');
}, 90_000);

test('two dispatchers clicking at once: the first wins, the second is told who took it', async () => {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'ivan@vector.example', subject: 'Нет доступа к CRM', text: 'Не могу войти.', messageId: 'c1@vector.example' })]);
  const { number } = await ticketNumber('Нет доступа к CRM');
  const chat = await dispatchDialog(ctx);
  const card = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}`));
  click(ctx, dispatcher, card, '1st line');
  const people = await eventually('employees', async () => {
    const m = messageNow(ctx, dispatcher, chat, card.id)!;
    return buttonTexts(m).includes('Anna Taylor') ? m : null;
  });
  // Both see the same buttons and click before either click is applied.
  click(ctx, dispatcher, people, 'Anna Taylor');
  click(ctx, admin, people, 'Дмитрий Волков');
  const told = await waitForMessage(ctx, admin, String(ctx.bot.botId), new RegExp(`#${number} уже назначено: Anna Taylor`));
  expect(told.text).toContain('назначила Ольга Кузнецова');
  const rows = await ctx.app.core.db.query<{ name: string }>(
    'select e.name from tickets t join employees e on e.id = t.assignee_id where t.number = $1', [number]);
  expect(rows).toEqual([{ name: 'Anna Taylor' }]);
  const assigns = await ctx.app.core.db.query(`select 1 from audit_log a join tickets t on t.id = a.ticket_id where t.number = $1 and a.action = 'assign'`, [number]);
  expect(assigns).toHaveLength(1);
}, 90_000);

test('an unassigned ticket is reminded about at the interval, the reminder is replaced, and it stops after assignment', async () => {
  await deliver(ctx.t.mailboxUser, [clientMail({ from: 'petr@vector.example', subject: 'Ошибка в отчёте', text: 'Отчёт падает.', messageId: 'r1@vector.example' })]);
  const { number } = await ticketNumber('Ошибка в отчёте');
  const chat = await dispatchDialog(ctx);
  const reminders = () => dialog(ctx.sandbox, dispatcher, chat).filter((m) => /^Не назначено обращений/.test(m.text));
  const first = await eventually('a reminder', async () => reminders().find((m) => m.text.includes(`#${number}`)), 20_000);
  // One button per ticket, its number: the departments open in place.
  expect(buttonTexts(first)).toEqual([`#${number}`]);
  const second = await eventually('the next reminder', async () => reminders().find((m) => m.id > first.id), 20_000);
  expect(second.text).toContain(`#${number}`);
  // The previous reminder is gone: only the latest stays in the chat.
  await eventually('the first reminder deleted', async () => !reminders().some((m) => m.id === first.id));

  click(ctx, dispatcher, second, `#${number}`);
  const departments = await eventually('the reminder opened to the ticket\'s departments', async () => {
    const m = messageNow(ctx, dispatcher, chat, second.id);
    return m && buttonTexts(m).includes('2nd line') ? m : null;
  });
  expect(buttonTexts(departments)).toEqual(['1st line', '2nd line', 'Не обращение', '« Назад']);
  click(ctx, dispatcher, departments, '2nd line');
  const open = await eventually('the reminder opened to the 2nd line', async () => {
    const m = messageNow(ctx, dispatcher, chat, second.id);
    return m && buttonTexts(m).includes('John Miller') ? m : null;
  });
  click(ctx, dispatcher, open, 'John Miller');
  await eventually('assigned', async () => (await ticketNumber('Ошибка в отчёте')).status === 'assigned');
  const count = reminders().length;
  const latest = Math.max(...reminders().map((m) => m.id));
  await new Promise((r) => setTimeout(r, 8000));
  // No reminder after assignment; the last one says nothing is waiting.
  expect(reminders().filter((m) => m.id > latest)).toHaveLength(0);
  expect(reminders().length).toBeLessThanOrEqual(count);
  expect(dialog(ctx.sandbox, dispatcher, chat).some((m) => m.text === 'Неназначенных обращений нет.')).toBe(true);
}, 90_000);

test('typed commands: /my lists my open tickets, /ticket shows the card with my buttons, /help explains', async () => {
  const { number } = await ticketNumber('Не печатает принтер');
  const botDialog = String(ctx.bot.botId);
  ctx.sandbox.writeMessage({ userId: specialists[0], dialogId: botDialog, text: '/my' });
  const mine = await waitForMessage(ctx, specialists[0], botDialog, /^Ваши открытые обращения: \d+/);
  expect(mine.text).toContain(`#${number}[/b] · неизвестный клиент · Не печатает принтер (назначено)`);
  ctx.sandbox.writeMessage({ userId: specialists[0], dialogId: botDialog, text: `/ticket ${number}` });
  const card = await waitForMessage(ctx, specialists[0], botDialog, (m) => m.id > mine.id && m.text.startsWith('Вам назначено'));
  expect(buttonTexts(card)).toContain('Закрыть');
  ctx.sandbox.writeMessage({ userId: specialists[0], dialogId: botDialog, text: 'привет' });
  await waitForMessage(ctx, specialists[0], botDialog, /^Команды:\n\/ticket 1042/);
}, 60_000);
