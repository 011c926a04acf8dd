import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { sampleRoles } from '../../sandbox/index.js';
import { recordPackageAlerts } from '../../reports/package-alerts.js';
import { REPORT_JOBS, REPORTS_QUEUE } from '../../reports/report-jobs.js';
import { listLatestReports } from '../../reports/report-repo.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { buttonTexts, click, dialog, messageNow, waitForMessage, type SandboxMessage } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { makeClient, makeTicket } from './factories.js';

const { accountManager, specialists, dispatcher } = sampleRoles;
const reviewer = sampleRoles.secondLine[0];
const zone = 'Europe/Moscow';
let ctx: SandboxApp;
beforeAll(async () => { ctx = await startSandboxApp({ REPORT_REVIEWERS: String(reviewer) }); }, 60_000);
afterAll(async () => { await ctx.close(); });

const botDialog = () => String(ctx.bot.botId);
const employeeId = async (b24UserId: number) =>
  (await ctx.app.core.db.query<{ id: number }>('select id from employees where b24_user_id = $1', [String(b24UserId)]))[0].id;
const inDialog = (userId: number, match: RegExp) => dialog(ctx.sandbox, userId, botDialog()).filter((m) => match.test(m.text));
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Clicks a button and waits for the same message to show other buttons. */
async function clickThrough(userId: number, m: SandboxMessage, text: string, next: string): Promise<SandboxMessage> {
  click(ctx, userId, m, text);
  return eventually(`"${next}" after "${text}"`, async () => {
    const now = messageNow(ctx, userId, botDialog(), m.id);
    return now && buttonTexts(now).includes(next) ? now : null;
  });
}

test('80 % and 100 % of the package each reach the account manager once, the second as soon as the time is recorded in the bot', async () => {
  const db = ctx.app.core.db;
  const now = DateTime.now().setZone(zone);
  const month = now.toFormat('yyyy-MM');
  // A package of 1 h 15 min; the contract starts this month, so last month's review does not list it.
  const client = await makeClient(db, 'ООО «Пакет»', {
    contract: { number: 'П-7', packageHours: 1.25, managerId: await employeeId(accountManager), startDate: now.startOf('month').toISODate()! },
  });
  const recent = now.minus({ minutes: 30 }).toISO()!;
  await makeTicket(db, { clientId: client, createdAt: recent, closedAt: recent, entries: [{ minutes: 60 }] });
  // What the reports worker's sweep does every 5 minutes.
  await recordPackageAlerts(db, { month, zone });
  const eighty = await waitForMessage(ctx, accountManager, botDialog(), /ООО «Пакет».*80%/);
  expect(eighty.text).toBe(`[b]ООО «Пакет»[/b], договор П-7: израсходовано 80% пакета часов за ${now.setLocale('ru').toFormat('LLLL yyyy')} — 1 ч из 1 ч 15 мин.`);

  // The specialist closes another ticket with 15 minutes from the bot: 75 of 75 minutes.
  const specialist = specialists[0];
  const number = await makeTicket(db, { clientId: client, status: 'in_progress', createdAt: recent, assigneeId: await employeeId(specialist) });
  ctx.sandbox.writeMessage({ userId: specialist, dialogId: botDialog(), text: `/ticket ${number}` });
  const card = await waitForMessage(ctx, specialist, botDialog(), (m) => m.text.includes(`#${number}`) && buttonTexts(m).includes('Закрыть'));
  const times = await clickThrough(specialist, card, 'Закрыть', '15 мин');
  const billable = await clickThrough(specialist, times, '15 мин', 'Оплачивается');
  click(ctx, specialist, billable, 'Оплачивается');
  const hundred = await waitForMessage(ctx, accountManager, botDialog(), /ООО «Пакет».*израсходован —/);
  expect(hundred.text).toContain('— 1 ч 15 мин из 1 ч 15 мин.');

  // Later sweeps and ticks record and say nothing more.
  expect(await recordPackageAlerts(db, { month, zone })).toEqual([]);
  await settle(2000);
  expect(inDialog(accountManager, /ООО «Пакет»/)).toHaveLength(2);
  const alerts = await db.query<{ threshold: number; notified: boolean }>(
    'select threshold, notified_at is not null as notified from package_alerts where client_id = $1 order by threshold', [client]);
  expect(alerts).toEqual([{ threshold: 80, notified: true }, { threshold: 100, notified: true }]);
}, 60_000);

test('the reviewer gets the month\'s summary once; List lists it; Approve all publishes the clean report and holds the one missing time', async () => {
  const db = ctx.app.core.db;
  const month = DateTime.now().setZone(zone).startOf('month').minus({ months: 1 });
  const m = month.toFormat('yyyy-MM');
  const period = month.setLocale('ru').toFormat('LLLL yyyy');
  const at = (day: number) => month.set({ day, hour: 12 }).toISO()!;
  const clean = await makeClient(db, 'ООО «Готово»', { reportEmails: ['boss@gotovo.example'] });
  await makeTicket(db, { clientId: clean, createdAt: at(10), closedAt: at(15), entries: [{ minutes: 90 }] });
  const held = await makeClient(db, 'ООО «Забыли время»', { reportEmails: ['boss@zabyli.example'] });
  const missing = await makeTicket(db, { clientId: held, status: 'awaiting_time', createdAt: at(10), closedAt: at(20) });

  const queue = new Queue(REPORTS_QUEUE, { connection: ctx.app.core.redis, prefix: ctx.app.config.redis.queuePrefix });
  try {
    await queue.add(REPORT_JOBS.monthly, { month: m });
  } finally {
    await queue.close();
  }
  const title = new RegExp(`Отчёты за ${period} готовы к проверке`);
  const review = await waitForMessage(ctx, reviewer, botDialog(), title);
  expect(review.text.split('\n')).toEqual([
    `[b]Отчёты за ${period} готовы к проверке[/b]`,
    'Клиентов: 2 · закрыто обращений: 1',
    'Время: 1 ч 30 мин, к оплате 1 ч 30 мин',
    'Закрыто без времени: 1 — такие отчёты задержаны до исправления:',
    `• ООО «Забыли время»: #${missing}`,
  ]);
  expect(buttonTexts(review)).toEqual(['Утвердить все', 'Список']);

  click(ctx, reviewer, review, 'Список');
  const list = await waitForMessage(ctx, reviewer, botDialog(), new RegExp(`Отчёты за ${period}: 2`));
  expect(list.text.split('\n').slice(1)).toEqual([
    `ООО «Забыли время» · 0 мин · черновик · задержан, нет времени: #${missing}`,
    'ООО «Готово» · 1 ч 30 мин · черновик',
  ]);

  // Someone who was not sent the review cannot approve by typing the hidden command.
  ctx.sandbox.writeMessage({ userId: dispatcher, dialogId: botDialog(), text: `/rpt approve ${m}` });
  await waitForMessage(ctx, dispatcher, botDialog(), /только проверяющий/);
  expect((await listLatestReports(db, m)).map((r) => r.status)).toEqual(['draft', 'draft']);

  click(ctx, reviewer, review, 'Утвердить все');
  const done = await eventually('the review updated', async () => {
    const now = messageNow(ctx, reviewer, botDialog(), review.id);
    return now?.text.includes('Утверждено') ? now : null;
  });
  expect(done.text.split('\n').slice(-2)).toEqual(['Утверждено и отправляется клиентам: 1.', 'Задержаны: ООО «Забыли время».']);
  // Approve all stays for the held report, once its time is recorded and the month re-drafted.
  expect(buttonTexts(done)).toEqual(['Утвердить все', 'Список']);

  const mail = await eventually('the report mail', async () => ctx.smtp.received.find((r) => r.rcptTo.includes('boss@gotovo.example')), 30_000);
  expect(mail.mail.subject).toBe(`Отчёт о поддержке за ${period} — ООО «Готово»`);
  expect(mail.mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
  const byClient = new Map((await listLatestReports(db, m)).map((r) => [r.clientId, r]));
  expect(byClient.get(clean)).toMatchObject({ status: 'published', publishedTo: ['boss@gotovo.example'] });
  expect(byClient.get(held)).toMatchObject({ status: 'draft', held: true });
  expect(ctx.smtp.received.some((r) => r.rcptTo.includes('boss@zabyli.example'))).toBe(false);
  expect(inDialog(reviewer, title)).toHaveLength(1);
}, 60_000);
