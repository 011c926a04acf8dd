import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage as openPage, setPasswordFromLink, VIEWPORTS, type Viewport } from './cabinet-browser-harness.js';
import { ensurePortalBuild } from '../../portal/build-portal.js';
import { invitePerson } from '../../portal/accounts/invite-person.js';
import { approveReport } from '../../reports/approve-report.js';
import { draftReport } from '../../reports/draft-report.js';
import { publishReport } from '../../reports/publish-report.js';
import * as reportFactories from '../reports/factories.js';
import { linkIn, mailTo, makeClient, makeTicket, startCabinet, type Cabinet } from './cabinet-harness.js';

let cab: Cabinet;
let browser: Browser;
beforeAll(async () => {
  cab = await startCabinet({ assetsDir: await ensurePortalBuild() });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cab?.close();
});

const TEXT = {
  en: { password: 'New password (10 characters or more)', save: 'Save and sign in', open: 'Open ticket', tickets: 'Tickets', signIn: 'Sign in',
    email: 'E-mail', passwordLabel: 'Password', search: 'Search by number or words', formatted: 'Formatted mail' },
  ru: { password: 'Новый пароль (не короче 10 символов)', save: 'Сохранить и войти', open: 'Открыть обращение', tickets: 'Обращения', signIn: 'Войти',
    email: 'Электронная почта', passwordLabel: 'Пароль', search: 'Поиск по номеру или словам', formatted: 'Письмо с оформлением' },
};

const newPage = (v: Viewport): Promise<Page> => openPage(browser, v);

/** A director invited to `clientId`, signed in from the invitation mail's link. */
async function invitedDirector(v: Viewport, clientId: number, email: string): Promise<Page> {
  const before = cab.sink.received.length;
  await invitePerson(cab.deps, { clientId, email, name: '', role: 'director', invitedBy: 'operator:test', actor: 'system' });
  const page = await newPage(v);
  await setPasswordFromLink(page, v, linkIn(await mailTo(cab.sink, email, before)).link);
  return page;
}

describe.each(VIEWPORTS)('on a $name', (v) => {
  test('an invited director sets a password from the mail, sees the tickets, opens one and reads its thread', async () => {
    const x = TEXT[v.language];
    const clientId = await makeClient(cab.db, `Company ${v.name}`, v.language);
    const email = `boss-${v.name}@example.com`;
    const ticket = await makeTicket(cab, {
      clientId, from: `staff-${v.name}@example.com`, subject: `Printer on fire ${v.name}`, text: 'Smoke everywhere',
      // As if stored by an intake that let it through: the cabinet must still show it inert.
      html: '<p>Smoke everywhere</p><script>parent.xss = 1; alert(1)</script><img src="x" onerror="parent.xss = 2; alert(2)">'
        + '<a href="javascript:parent.xss = 3">click me</a><svg onload="parent.xss = 4"></svg>',
      status: 'in_progress', reply: 'We sent a technician.', note: 'INTERNAL only', attachment: { filename: 'photo.jpg', content: Buffer.from('jpeg') },
    });
    const other = await makeTicket(cab, { clientId, from: `staff-${v.name}@example.com`, subject: `Another thing ${v.name}` });
    const before = cab.sink.received.length;
    await invitePerson(cab.deps, { clientId, email, name: 'Boss', role: 'director', invitedBy: 'operator:test', actor: 'system' });
    const { link } = linkIn(await mailTo(cab.sink, email, before));

    const page = await newPage(v);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    await page.goto(link);
    await page.getByLabel(x.password).fill('a long enough password');
    await page.getByRole('button', { name: x.save }).click();
    await page.getByRole('heading', { name: x.tickets }).waitFor();
    await page.getByRole('button', { name: `${x.open} #${other.number}` }).waitFor();

    await page.getByRole('button', { name: `${x.open} #${ticket.number}` }).click();
    const panel = page.getByRole('dialog', { name: new RegExp(`#${ticket.number} Printer on fire`) });
    await panel.getByText('We sent a technician.').waitFor();
    expect(await panel.getByText('INTERNAL only').count()).toBe(0);
    // Hostile mail stays inert: its HTML only in a sandboxed frame, sanitized, where nothing runs.
    const mail = panel.frameLocator(`iframe[title="${x.formatted}"]`);
    await mail.getByText('Smoke everywhere').waitFor();
    expect(await panel.locator('iframe').getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(await mail.locator('script, [onerror], [onload]').count()).toBe(0);
    await mail.getByText('click me').click();
    expect(await mail.getByText('click me').getAttribute('href')).toBeNull();
    expect(await panel.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { xss?: number }).xss)).toBeUndefined();
    expect(dialogs).toBe(0);
    expect(await panel.getByRole('link', { name: 'photo.jpg' }).getAttribute('href'))
      .toBe(`/api/tickets/${ticket.number}/messages/${ticket.messageId}/attachments/0`);
    // The open ticket is in the address: a reload shows it again.
    expect(new URL(page.url()).searchParams.get('ticket')).toBe(String(ticket.number));

    // Signed out, a new browser signs in with the password just set, and the search filter goes into the URL.
    const again = await newPage(v);
    await again.goto(`${cab.url}/tickets`);
    await again.getByLabel(x.email).fill(email);
    await again.getByLabel(x.passwordLabel, { exact: true }).fill('a long enough password');
    await again.getByRole('button', { name: x.signIn, exact: true }).click();
    await again.getByLabel(x.search).fill(String(other.number));
    await again.waitForURL((u) => u.searchParams.get('q') === String(other.number));
    await again.getByRole('button', { name: `${x.open} #${ticket.number}` }).waitFor({ state: 'detached' });
    // The list re-renders with the answer: the match shows once it has come.
    await again.getByRole('button', { name: `${x.open} #${other.number}` }).waitFor();
    await again.context().close();
    await page.context().close();
  }, 90_000);
});

describe.each(VIEWPORTS)('on a $name', (v) => {
  test("a director opens the month's report PDF in the browser and reads the contract terms", async () => {
    const en = v.language === 'en';
    const clientId = await reportFactories.makeClient(cab.db, `Reports ${v.name}`, { language: v.language, contract: { number: `K-${v.name}`, packageHours: 10 } });
    await reportFactories.makeTicket(cab.db, { clientId, closedAt: '2026-10-10T12:00:00+03:00', entries: [{ minutes: 120 }] });
    const { report } = await draftReport({ db: cab.db, blobs: cab.blobs, companyName: 'Modest Support' }, clientId, '2026-10');
    await approveReport(cab.db, report.id, 'qa');
    await publishReport({ db: cab.db, blobs: cab.blobs, smtp: cab.deps.smtp, messageIdDomain: 'modest.example' }, report.id);
    const page = await invitedDirector(v, clientId, `reports-${v.name}@example.com`);

    await page.goto(`${cab.url}/reports`);
    const month = en ? 'October 2026' : 'октябрь 2026';
    const [pdf] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: `${en ? 'Open' : 'Открыть'} ${month}` }).click(),
    ]);
    const response = await pdf.request.get(pdf.url());
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toMatch(/^inline;/);

    await page.goto(`${cab.url}/contract`);
    await page.getByText(`K-${v.name}`).waitFor();
    await page.getByText(en ? '0 h of 10 h' : '0 ч из 10 ч').waitFor();
    await page.context().close();
  }, 90_000);
});

describe.each(VIEWPORTS)('on a $name', (v) => {
  test('a director filters by status and period, downloads an attachment, and resets a forgotten password by mail', async () => {
    const en = v.language === 'en';
    const clientId = await makeClient(cab.db, `Filters ${v.name}`, v.language);
    const old = await makeTicket(cab, { clientId, from: `a-${v.name}@example.com`, subject: `October thing ${v.name}`, status: 'in_progress',
      createdAt: new Date('2026-10-10T10:00:00Z'), attachment: { filename: 'report.csv', content: Buffer.from('a;b\n1;2') } });
    const recent = await makeTicket(cab, { clientId, from: `a-${v.name}@example.com`, subject: `November thing ${v.name}`, status: 'in_progress',
      createdAt: new Date('2026-11-10T10:00:00Z') });
    const fresh = await makeTicket(cab, { clientId, from: `a-${v.name}@example.com`, subject: `New thing ${v.name}`, createdAt: new Date('2026-11-12T10:00:00Z') });
    const email = `filters-${v.name}@example.com`;
    const page = await invitedDirector(v, clientId, email);
    const row = (n: number) => page.getByRole('button', { name: `${TEXT[v.language].open} #${n}` });
    await row(fresh.number).waitFor();

    await page.getByLabel(en ? 'Status' : 'Статус').click();
    await page.getByRole('option', { name: en ? 'In progress' : 'В работе' }).click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'in_progress');
    await row(fresh.number).waitFor({ state: 'detached' });
    await page.getByLabel(en ? 'From' : 'С даты').fill('2026-11-01');
    await page.waitForURL((u) => u.searchParams.get('from') === '2026-11-01');
    await row(old.number).waitFor({ state: 'detached' });
    await row(recent.number).waitFor();

    await page.goto(`${cab.url}/tickets?ticket=${old.number}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'report.csv' }).click()]);
    expect(download.suggestedFilename()).toBe('report.csv');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe('a;b\n1;2');
    await page.context().close();

    // Forgotten: the mail's link sets a new password, and the old one no longer signs in.
    const reset = await newPage(v);
    await reset.goto(`${cab.url}/sign-in`);
    // Its page arrives late, as on a slow phone connection: the form must still be filled on it.
    await reset.route(/forgot-password-page/, async (r) => { await new Promise((ok) => setTimeout(ok, 3000)); await r.continue(); });
    await reset.getByRole('link', { name: en ? 'Forgot your password?' : 'Забыли пароль?' }).click();
    const sent = cab.sink.received.length;
    // The reset page is loaded on demand: until its button shows, the sign-in page (with an
    // e-mail field of the same name) is still the one on screen, and a fill would land there.
    const send = reset.getByRole('button', { name: en ? 'Send me a link' : 'Прислать ссылку' });
    await send.waitFor();
    const field = reset.getByLabel(TEXT[v.language].email);
    await field.fill(email);
    expect(await field.inputValue()).toBe(email);
    await send.click();
    // The form answers with its confirmation, or with an alert that says what went wrong.
    const confirmation = en ? 'we have sent it a link' : 'мы отправили на него ссылку';
    const answer = reset.getByRole('status').filter({ hasText: confirmation }).or(reset.getByRole('alert')).first();
    // The answer comes once SMTP has taken the mail (the link is rolled back if it does not).
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.textContent()).toContain(confirmation);
    const mail = await mailTo(cab.sink, email, sent);
    expect(mail.mail.subject).toBe(en ? 'Reset your client cabinet password' : 'Сброс пароля в кабинете клиента');
    await setPasswordFromLink(reset, v, linkIn(mail).link, 'another long password');
    const signIn = await fetch(`${cab.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': 't', cookie: 'cabinet_csrf=t' },
      body: JSON.stringify({ email, password: 'a long enough password' }) });
    expect(signIn.status).toBe(401);
    await reset.context().close();
  }, 240_000);
});
