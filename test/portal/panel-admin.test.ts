import type { Page } from 'playwright-core';
import { staffLink } from '../../bot/panel-links.js';
import { sampleRoles } from '../../sandbox/index.js';
import { deliver } from '../harness/app.js';
import { clientMail } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { makeClient } from '../reports/factories.js';
import { staffApi, startPanelApp, usePanelBrowser, type StaffApi } from './panel-harness.js';

const { admin, specialists } = sampleRoles;
const env = usePanelBrowser(() => startPanelApp({ PANEL_ADMINS: String(admin) }));
let asAdmin: StaffApi;
let asSpecialist: StaffApi;
beforeAll(async () => {
  const secret = env.ctx.app.config.panel.linkSecret!;
  asAdmin = await staffApi(env.panel.url, secret, admin);
  asSpecialist = await staffApi(env.panel.url, secret, specialists[0]);
}, 180_000);

const CONTRACT = {
  number: 'Д-7/2026', subject: 'Сопровождение портала', startDate: '2026-01-01', endDate: null, supportType: 'Стандарт',
  portalUrl: 'https://landysh.bitrix24.ru', portalType: 'cloud', monthlyFee: 50000, currency: 'RUB', packageHours: 10,
  hourlyRate: 3000, overPackageRate: 3500, bonusHours: 2, accountManagerId: null,
};

test('administration is for administrators only: 403 for a specialist, 401 without a session, on every endpoint and on Bull Board', async () => {
  const clientId = await makeClient(env.ctx.app.core.db, 'ООО Закрытое');
  const calls: Array<[string, string, unknown?]> = [
    ['GET', '/admin/clients'], ['GET', `/admin/clients/${clientId}`], ['GET', '/admin/system'],
    ['POST', '/admin/clients', { company: 'x', language: 'ru' }], ['PUT', `/admin/clients/${clientId}`, { company: 'x', language: 'ru' }],
    ['PUT', `/admin/clients/${clientId}/contacts`, { email: 'a@b.example' }], ['POST', `/admin/clients/${clientId}/domains`, { domain: 'b.example' }],
    ['DELETE', `/admin/clients/${clientId}/domains/b.example`], ['POST', `/admin/clients/${clientId}/contracts`, CONTRACT],
  ];
  for (const [method, path, body] of calls) {
    const res = method === 'GET' ? await asSpecialist.get(path) : await asSpecialist.send(method, path, body);
    expect([method, path, res.status]).toEqual([method, path, 403]);
    const anonymous = await fetch(`${env.panel.url}/api/panel${path}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect([method, path, anonymous.status]).toEqual([method, path, 401]);
  }
  expect((await env.ctx.app.core.db.query('select company from clients where id = $1', [clientId]))[0]).toEqual({ company: 'ООО Закрытое' });
  expect((await fetch(`${env.panel.url}/panel/admin/queues`, { headers: { cookie: asSpecialist.cookie } })).status).toBe(403);
  expect((await fetch(`${env.panel.url}/panel/admin/queues`)).status).toBe(401);
  const board = await fetch(`${env.panel.url}/panel/admin/queues`, { headers: { cookie: asAdmin.cookie } });
  expect(board.status).toBe(200);
  expect(board.headers.get('x-frame-options')).toBe('DENY');
  expect(await board.text()).toContain('Modest');
  expect((await asAdmin.get('/admin/clients')).status).toBe(200);
}, 120_000);

test('contracts are validated, nothing half-written is kept, a contact of another client is refused, and each change is in the audit', async () => {
  const db = env.ctx.app.core.db;
  const created = await asAdmin.post('/admin/clients', { company: 'ООО Ландыш', language: 'ru' });
  expect(created.status).toBe(201);
  const { id } = await created.json() as { id: number };
  const bad = await asAdmin.post(`/admin/clients/${id}/contracts`, { ...CONTRACT, endDate: '2025-12-31', currency: 'рубли', monthlyFee: -1 });
  expect(bad.status).toBe(400);
  const message = ((await bad.json()) as { error: { message: string } }).error.message;
  expect(message).toMatch(/endDate: must not be before the start date/);
  expect(message).toMatch(/currency/);
  expect(message).toMatch(/monthlyFee/);
  expect(await db.query('select 1 from contracts where client_id = $1', [id])).toEqual([]);

  const contract = await asAdmin.post(`/admin/clients/${id}/contracts`, CONTRACT);
  expect(contract.status).toBe(201);
  const { id: contractId } = await contract.json() as { id: number };
  expect((await asAdmin.send('PUT', `/admin/contracts/${contractId}`, { ...CONTRACT, packageHours: 15 })).status).toBe(204);
  // The cabinet's contract code (and so the client card and the monthly report) reads the new terms.
  const card = await (await asAdmin.get(`/clients/${id}`)).json() as { terms: { month: { packageHours: number } } };
  expect(card.terms.month.packageHours).toBe(15);

  const other = await makeClient(db, 'ООО Чужой', { otherEmails: ['boss@chuzhoy.example'] });
  const taken = await asAdmin.send('PUT', `/admin/clients/${id}/contacts`, { email: 'Boss@Chuzhoy.example', name: 'Босс' });
  expect(taken.status).toBe(409);
  expect(((await taken.json()) as { error: { code: string } }).error.code).toBe('admin.taken');
  expect(Number((await db.query<{ client_id: string }>("select client_id from client_contacts where email = 'boss@chuzhoy.example'"))[0].client_id)).toBe(other);
  expect((await asAdmin.post(`/admin/clients/${id}/domains`, { domain: 'not a domain' })).status).toBe(400);
  expect((await asAdmin.post(`/admin/clients/${id}/domains`, { domain: 'Landysh.Example' })).status).toBe(204);
  expect((await asAdmin.send('PUT', `/admin/clients/${id}/contacts`, { email: 'olga@landysh.example', name: 'Ольга' })).status).toBe(204);
  expect((await asAdmin.send('PUT', `/admin/clients/${id}/contacts`, { email: 'olga@landysh.example', name: 'Ольга Ивановна', receivesReports: true })).status).toBe(204);

  const view = await (await asAdmin.get(`/admin/clients/${id}`)).json() as { domains: string[]; audit: Array<{ action: string; actor: string; details: Record<string, unknown> }> };
  expect(view.domains).toEqual(['landysh.example']);
  expect(view.audit.map((a) => a.action)).toEqual(['admin.contact.update', 'admin.contact.add', 'admin.domain.add', 'admin.contract.update',
    'admin.contract.create', 'admin.client.create']);
  expect(view.audit[0].details.changes).toEqual({ name: ['Ольга', 'Ольга Ивановна'], receivesReports: [false, true] });
  expect(view.audit[3].details.changes).toEqual({ packageHours: [10, 15] });
  const [{ name }] = await db.query<{ name: string }>('select name from employees where b24_user_id = $1', [String(admin)]);
  expect(view.audit[3].actor).toBe(name);

  // Mail from the new domain now belongs to the client.
  await deliver(env.ctx.t.mailboxUser, [clientMail({ from: 'Пётр <petr@landysh.example>', subject: 'Вопрос Ландыша', text: 'Здравствуйте', messageId: `admin-${Date.now()}@landysh.example` })]);
  const ticket = await eventually('the ticket', async () => (await db.query<{ client_id: string }>("select client_id from tickets where subject = 'Вопрос Ландыша'"))[0]);
  expect(Number(ticket.client_id)).toBe(id);
}, 120_000);

test('the system page\'s data: readiness, the mailbox, the Bitrix24 connection and every queue, with no secret in it', async () => {
  const res = await asAdmin.get('/admin/system');
  expect(res.status).toBe(200);
  const text = await res.text();
  const state = JSON.parse(text) as { checks: Array<{ name: string; ok: boolean }>; mailboxes: Array<{ name: string; receivedToday: number }>;
    bitrix24: { mode: string; connected: boolean }; queues: Array<{ name: string }> };
  expect(state.checks.find((c) => c.name === 'database')?.ok).toBe(true);
  expect(state.mailboxes.map((m) => m.name)).toEqual(['support']);
  expect(state.bitrix24).toMatchObject({ mode: 'webhook', connected: true });
  expect(state.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['ingest', 'mail-out', 'b24-calls', 'b24-events', 'bot', 'reports']));
  const config = env.ctx.app.config;
  expect(text).not.toContain(config.mail.mailboxes![0].password);
  if (config.bitrix24.mode === 'webhook') expect(text).not.toContain(new URL(config.bitrix24.webhookUrl).pathname);
}, 60_000);

describe.each([
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
])('on a $name', ({ name, viewport }) => {
  async function open(userId: number, path: string): Promise<Page> {
    const page = await (await env.browser.newContext({ viewport, locale: 'ru-RU' })).newPage();
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    await page.goto(staffLink({ publicUrl: env.panel.url, secret: env.ctx.app.config.panel.linkSecret!, lifetimeMs: 60_000 }, path, userId, new Date()));
    return page;
  }

  test('an administrator adds a client with a domain, a contact and a contract; a wrong contract is refused with the field; the system and Bull Board open', async () => {
    const company = `ООО Ромашка-${name}`;
    const page = await open(admin, '/panel');
    await page.getByRole('link', { name: 'Администрирование' }).click();
    await page.getByRole('heading', { name: 'Администрирование: Клиенты' }).waitFor();
    const create = page.getByRole('form', { name: 'Новый клиент' });
    await create.getByRole('textbox').fill(company);
    await create.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('heading', { name: company }).waitFor();

    const domains = page.getByRole('form', { name: 'Добавить: Почтовые домены' });
    await domains.getByRole('textbox').fill(`${name}.romashka.example`);
    await domains.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('region', { name: 'Почтовые домены' }).getByText(`${name}.romashka.example`).waitFor();
    const contacts = page.getByRole('form', { name: 'Добавить: Контакты' });
    await contacts.getByLabel('E-mail').fill(`director@${name}.romashka.example`);
    await contacts.getByLabel('Имя').fill('Ирина');
    await contacts.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('region', { name: 'Контакты' }).getByText(`Ирина <director@${name}.romashka.example>`).waitFor();

    const contract = page.getByRole('form', { name: 'Новый договор' });
    await contract.getByLabel('Номер договора').fill('Р-1');
    await contract.getByLabel('Тип поддержки').fill('Стандарт');
    await contract.getByLabel('Дата начала').fill('2026-03-01');
    await contract.getByLabel('Дата окончания').fill('2026-02-01');
    await contract.getByLabel('Часов в пакете').fill('12');
    await contract.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('alert').getByText(/Проверьте поля: endDate/).waitFor();
    await contract.getByLabel('Дата окончания').fill('');
    await contract.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('form', { name: 'Договор Р-1' }).waitFor();
    await page.getByRole('region', { name: 'Журнал изменений' }).getByText(/admin\.contract\.create/).waitFor();

    await page.goto(`${env.panel.url}/panel/admin/system`);
    await page.getByRole('region', { name: 'Почтовые ящики' }).getByText(/support/).first().waitFor();
    await page.getByRole('region', { name: 'Bitrix24' }).getByText('входящий вебхук').waitFor();
    await page.getByRole('link', { name: 'Открыть Bull Board' }).click();
    await page.getByText('mail-out').first().waitFor({ timeout: 30_000 });
  }, 120_000);

  test('a specialist sees no administration link, and the page refuses them', async () => {
    const page = await open(specialists[0], '/panel/admin');
    await page.getByRole('alert').getByText('Только для администраторов.').waitFor();
    expect(await page.getByRole('link', { name: 'Администрирование' }).count()).toBe(0);
  }, 60_000);
});
