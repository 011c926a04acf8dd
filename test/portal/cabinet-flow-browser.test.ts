// The cabinet with everything behind it: the workers, the intake, the bot and the sandbox
// portal. What a client does in the cabinet reaches the support side as it would by mail
// (replies, new requests), and a plan change request reaches the personal manager's messenger.
import http from 'node:http';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage, setPasswordFromLink, VIEWPORTS, type Viewport } from './cabinet-browser-harness.js';
import { sampleRoles } from '../../sandbox/index.js';
import { createLogger } from '../../main/logger.js';
import { freePort } from '../../main/free-port.js';
import { accountDeps, runCabinet } from '../../main/run-cabinet.js';
import { invitePerson } from '../../portal/accounts/invite-person.js';
import { SmtpSender } from '../../connectors/mail/smtp-sender.js';
import { deliver } from '../harness/app.js';
import { clientMail, messageNow, waitForMessage } from '../harness/messenger.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { eventually } from '../harness/wait.js';
import { makeClient } from '../reports/factories.js';
import { linkIn, mailTo } from './cabinet-harness.js';

const { accountManager } = sampleRoles;
let ctx: SandboxApp;
let browser: Browser;
let server: http.Server;
let stopCabinet: () => Promise<void>;
let url: string;
let smtp: SmtpSender;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  ctx = await startSandboxApp({ PUBLIC_URL: url }, 'postgres');
  const cabinet = await runCabinet(ctx.app.config, ctx.app.core, createLogger('silent', 'test'));
  stopCabinet = cabinet.stop;
  smtp = new SmtpSender(ctx.app.config.mail.smtpUrl, ctx.app.config.mail.from);
  const app = express();
  app.use(cabinet.router);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stopCabinet?.();
  smtp?.close();
  await ctx?.close();
});

const TEXT = {
  en: { password: 'New password (10 characters or more)', save: 'Save and sign in', open: 'Open ticket', tickets: 'Tickets', changePlan: 'Change plan',
    planText: 'What would you like to change', send: 'Send', planSent: 'Your request is with your manager',
    reply: 'Your reply', replySent: 'Reply sent as a mail', newRequest: 'New request', subject: 'Subject', requestText: 'Describe your question' },
  ru: { password: 'Новый пароль (не короче 10 символов)', save: 'Сохранить и войти', open: 'Открыть обращение', tickets: 'Обращения', changePlan: 'Изменить тариф',
    planText: 'Что вы хотите изменить', send: 'Отправить', planSent: 'Запрос передан вашему менеджеру',
    reply: 'Ваш ответ', replySent: 'Ответ отправлен как письмо', newRequest: 'Новое обращение', subject: 'Тема', requestText: 'Опишите вопрос' },
};

const db = () => ctx.app.core.db;
const employeeId = async (b24UserId: number) =>
  (await db().query<{ id: number }>('select id from employees where b24_user_id = $1', [String(b24UserId)]))[0].id;

/** A director of a new client (its contract managed by the sample account manager), signed in from the invitation. */
async function signedInDirector(v: Viewport, company: string): Promise<{ page: Page; email: string; clientId: number }> {
  const clientId = await makeClient(db(), company, { language: v.language, contract: { number: `T-${v.name}`, managerId: await employeeId(accountManager) } });
  const email = `director@${company.toLowerCase().replace(/\W+/g, '-')}.example`;
  const before = ctx.smtp.received.length;
  await invitePerson(accountDeps(ctx.app.config, ctx.app.core, smtp),
    { clientId, email, name: `Director ${v.name}`, role: 'director', invitedBy: 'operator:test', actor: 'system' });
  const page = await newPage(browser, v);
  await setPasswordFromLink(page, v, linkIn(await mailTo(ctx.smtp, email, before)).link);
  return { page, email, clientId };
}

describe.each(VIEWPORTS)('on a $name', (v) => {
  test('"Изменить тариф" reaches the personal manager in the messenger with the terms, and "Взять в работу" takes it', async () => {
    const x = TEXT[v.language];
    const { page, email } = await signedInDirector(v, `Plan ${v.name}`);
    const before = ctx.smtp.received.length;
    await page.goto(`${url}/contract`);
    await page.getByRole('button', { name: x.changePlan }).click();
    await page.getByLabel(x.planText).fill(`Twice the hours from January, please (${v.name})`);
    await page.getByRole('button', { name: x.send }).click();
    await page.getByText(x.planSent).waitFor();
    const confirmation = await mailTo(ctx.smtp, email, before);
    expect(confirmation.mail.text).toContain(`Twice the hours from January, please (${v.name})`);
    expect(confirmation.mail.text).toContain(`T-${v.name}`);

    // The manager's messenger, as they see it on the sandbox portal's page, in their language (the portal's: Russian).
    // The account manager is Мария Лебедева: the verb agrees with her.
    const take = 'Взять в работу';
    const taken = 'Взяла в работу: Мария Лебедева';
    const card = await waitForMessage(ctx, accountManager, String(ctx.bot.botId), new RegExp(`Twice the hours from January, please \\(${v.name}\\)`));
    expect(card.text).toContain(`Plan ${v.name}`);
    expect(card.text).toContain(`T-${v.name}`);
    expect(card.text).toContain(email);
    const messenger = await (await browser.newContext({ ignoreHTTPSErrors: true, viewport: v.viewport })).newPage();
    await messenger.goto(ctx.sandbox.messengerUrl);
    await messenger.selectOption('#who', String(accountManager));
    await messenger.click(`#chats li[data-dialog-id="${ctx.bot.botId}"]`);
    const message = messenger.locator(`.message[data-message-id="${card.id}"]`);
    await message.locator('button.kb-button', { hasText: take }).click();
    await message.locator('.text', { hasText: taken }).waitFor({ timeout: 20_000 });
    expect(await message.locator('button.kb-button').count()).toBe(0);
    expect(messageNow(ctx, accountManager, String(ctx.bot.botId), card.id)?.text).toContain(taken);
    const [request] = await db().query<{ taken_by: number | null }>('select taken_by from plan_change_requests where text like $1', [`%(${v.name})`]);
    expect(request.taken_by).toBe(await employeeId(accountManager));
    const audit = await db().query<{ action: string }>(`select action from audit_log where action in ('cabinet_plan_request', 'plan_request_taken')
      and (details->>'requestId')::bigint in (select id from plan_change_requests where text like $1) order by id`, [`%(${v.name})`]);
    expect(audit.map((a) => a.action)).toEqual(['cabinet_plan_request', 'plan_request_taken']);
    await messenger.context().close();
    await page.context().close();
  }, 120_000);

  test('a reply from the slide-over lands in the ticket\'s mail thread; a new request is acknowledged by mail with its number', async () => {
    const x = TEXT[v.language];
    const { page, email } = await signedInDirector(v, `Mail ${v.name}`);
    const subject = `Exchange stopped ${v.name}`;
    await deliver(ctx.t.mailboxUser, [clientMail({ from: email, subject, text: 'Nothing since Monday.', messageId: `first-${v.name}@client.example` })]);
    const { number } = await eventually('the ticket', async () => (await db().query<{ number: number }>('select number from tickets where subject = $1', [subject]))[0]);
    // The mail's own acknowledgement first, so what follows is counted apart from it.
    await eventually('the first acknowledgement', async () => ctx.smtp.received.find((m) => m.rcptTo.includes(email) && (m.mail.subject ?? '').startsWith(`[#${number}]`)), 30_000);
    const before = ctx.smtp.received.length;

    await page.goto(`${url}/tickets?ticket=${number}`);
    const panel = page.getByRole('dialog', { name: new RegExp(`#${number}`) });
    await panel.getByText('Nothing since Monday.').waitFor();
    await panel.getByLabel(x.reply).fill(`It started again, thank you (${v.name})`);
    await panel.getByRole('button', { name: x.send }).click();
    await panel.getByText(x.replySent).waitFor();
    // The page looks again until the intake has threaded it.
    await panel.getByText(`It started again, thank you (${v.name})`).waitFor({ timeout: 30_000 });
    const thread = await db().query<{ from_address: string; in_reply_to: string | null; body_text: string }>(`select m.from_address, m.in_reply_to, m.body_text
      from messages m join tickets t on t.id = m.ticket_id where t.number = $1 and m.direction = 'in' order by m.id`, [number]);
    expect(thread.map((m) => m.body_text)).toEqual(['Nothing since Monday.', `It started again, thank you (${v.name})`]);
    expect(thread[1].from_address).toBe(email);
    expect(thread[1].in_reply_to).not.toBeNull();

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: x.newRequest }).click();
    const form = page.getByRole('dialog', { name: x.newRequest });
    await form.getByLabel(x.subject).fill(`Printer ${v.name}`);
    await form.getByLabel(x.requestText).fill('It prints blank pages.');
    await form.getByRole('button', { name: x.send }).click();
    const ack = await eventually('the acknowledgement', async () => ctx.smtp.received.slice(before)
      .find((m) => m.rcptTo.includes(email) && (m.mail.subject ?? '').includes(`Printer ${v.name}`)), 30_000);
    const [created] = await db().query<{ number: number }>('select number from tickets where subject = $1', [`Printer ${v.name}`]);
    expect(ack.mail.subject).toContain(`[#${created.number}]`);
    // Only the new request was acknowledged: the reply threaded into its ticket got none.
    expect(ctx.smtp.received.slice(before).filter((m) => m.rcptTo.includes(email) && /^\[#\d+\]/.test(m.mail.subject ?? '')).length).toBe(1);
    await page.context().close();
  }, 120_000);
});

test('an account manager invites a client\'s person with /invite in the bot: the mail carries the link, the audit names the manager', async () => {
  const manager = await employeeId(accountManager);
  const clientId = await makeClient(db(), 'Invite Co', { language: 'en', contract: { number: 'INV-1', managerId: manager } });
  const other = await makeClient(db(), 'Not Mine Co', { contract: { number: 'INV-2' } });
  const botDialog = String(ctx.bot.botId);
  const before = ctx.smtp.received.length;
  ctx.sandbox.writeMessage({ userId: accountManager, dialogId: botDialog, text: '/invite cfo@invite.example director INV-1' });
  await waitForMessage(ctx, accountManager, botDialog, /cfo@invite\.example \(Invite Co, руководитель\)/);
  const mail = await mailTo(ctx.smtp, 'cfo@invite.example', before);
  expect(mail.mail.subject).toBe('Your client cabinet access — Invite Co');
  const [user] = await db().query<{ client_id: number; role: string; invited_by: string }>(
    'select client_id, role, invited_by from portal_users where email = $1', ['cfo@invite.example']);
  expect(user).toEqual({ client_id: clientId, role: 'director', invited_by: `employee:${manager}` });
  const [audit] = await db().query<{ actor: string; channel: string }>(`select actor, channel from audit_log where action = 'cabinet_invite' and details->>'email' = $1`,
    ['cfo@invite.example']);
  expect(audit).toEqual({ actor: `employee:${manager}`, channel: 'bot' });

  // Not their client's contract, or nonsense: told so, nobody invited.
  ctx.sandbox.writeMessage({ userId: accountManager, dialogId: botDialog, text: '/invite x@notmine.example employee INV-2' });
  await waitForMessage(ctx, accountManager, botDialog, /Укажите номер договора/);
  ctx.sandbox.writeMessage({ userId: accountManager, dialogId: botDialog, text: '/invite not-an-address boss' });
  await waitForMessage(ctx, accountManager, botDialog, /\/invite email@client\.ru director\|employee/);
  expect(await db().query('select 1 from portal_users where client_id = $1', [other])).toEqual([]);
}, 60_000);

test('/invite without a contract number: the only client the manager has, or the one the address belongs to', async () => {
  const [row] = await db().query<{ b24_user_id: string }>(`select b24_user_id from employees where b24_user_id <> $1 and active order by id desc limit 1`,
    [String(accountManager)]);
  const managerB24 = Number(row.b24_user_id);
  const manager = await employeeId(managerB24);
  const clientId = await makeClient(db(), 'Solo Co', { contract: { number: 'SOLO-1', managerId: manager } });
  const botDialog = String(ctx.bot.botId);
  ctx.sandbox.writeMessage({ userId: managerB24, dialogId: botDialog, text: '/invite anna@solo.example employee' });
  await waitForMessage(ctx, managerB24, botDialog, /anna@solo\.example \(Solo Co, /);
  expect((await db().query<{ client_id: number }>('select client_id from portal_users where email = $1', ['anna@solo.example']))[0].client_id).toBe(clientId);
}, 60_000);
