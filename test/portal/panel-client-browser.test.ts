import type { Page } from 'playwright-core';
import { staffLink } from '../../bot/panel-links.js';
import { sampleRoles } from '../../sandbox/index.js';
import { makeClient, makeTicket } from '../reports/factories.js';
import { servePanel, staffApi, startPanelApp, usePanelBrowser } from './panel-harness.js';

const { dispatcher, specialists } = sampleRoles;
const env = usePanelBrowser(() => startPanelApp());
let clientId: number;
const numbers: Record<string, number> = {};
beforeAll(async () => {
  const db = env.ctx.app.core.db;
  clientId = await makeClient(db, 'ООО Василёк', { reportEmails: ['director@vasilek.example'], otherEmails: ['it@vasilek.example'] });
  await db.query("insert into client_domains (domain, client_id) values ('vasilek.example', $1)", [clientId]);
  await db.query("update client_contacts set name = 'Анна Петрова' where email = 'director@vasilek.example'");
  const closedAt = new Date(Date.now() - 120_000).toISOString();
  numbers.billable = await makeTicket(db, { clientId, subject: 'Сломался отчёт', closedAt, createdAt: closedAt, entries: [{ minutes: 90 }] });
  numbers.ourFault = await makeTicket(db, { clientId, subject: 'Наша ошибка', closedAt, createdAt: closedAt, entries: [{ minutes: 30, billable: false }] });
  numbers.open = await makeTicket(db, { clientId, subject: 'Новый вопрос', status: 'new', createdAt: new Date().toISOString() });
  const other = await makeClient(db, 'ООО Другая');
  numbers.other = await makeTicket(db, { clientId: other, subject: 'Чужое обращение', status: 'new' });
}, 180_000);

async function open(userId: number, viewport: { width: number; height: number }, path: string): Promise<Page> {
  const page = await (await env.browser.newContext({ viewport, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  await page.goto(staffLink({ publicUrl: env.panel.url, secret: env.ctx.app.config.panel.linkSecret!, lifetimeMs: 60_000 }, path, userId, new Date()));
  return page;
}

describe.each([
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
])('on a $name', ({ viewport }) => {
  test('the client card shows the company, its contacts and domains, the contract, this month\'s hours against the package and its tickets', async () => {
    const page = await open(dispatcher, viewport, `/tickets/${numbers.open}`);
    // From a ticket, the client's name leads to the card.
    await page.getByRole('link', { name: 'ООО Василёк' }).click();
    await page.getByRole('heading', { name: 'ООО Василёк' }).waitFor();
    const contacts = page.getByRole('region', { name: 'Контакты' });
    await contacts.getByText('Анна Петрова <director@vasilek.example> · получает отчёты').waitFor();
    await contacts.getByText('<it@vasilek.example>').waitFor();
    await contacts.getByText('Почтовые домены: vasilek.example').waitFor();
    const contract = page.getByRole('region', { name: 'Договор' });
    await contract.getByText(`K-${clientId}`).waitFor();
    await contract.getByText('Стандарт').waitFor();
    // 90 billable minutes; the 30 of our own fault cost the client nothing.
    await page.getByRole('region', { name: 'Этот месяц' }).getByText('Использовано 1.5 ч из 20 ч').waitFor();
    const history = page.getByRole('region', { name: 'Обращения компании' });
    for (const n of [numbers.billable, numbers.ourFault, numbers.open]) await history.getByRole('link', { name: `Открыть обращение #${n}` }).waitFor();
    expect(await history.getByRole('link', { name: `Открыть обращение #${numbers.other}` }).count()).toBe(0);
    await history.getByRole('status').getByText('Всего: 3').waitFor();
  }, 120_000);
});

test('the card of an unknown client is not found; a specialist restricted to a department sees only the client tickets of their rights', async () => {
  const secret = env.ctx.app.config.panel.linkSecret!;
  const api = await staffApi(env.panel.url, secret, specialists[0]);
  expect((await api.get('/clients/999999')).status).toBe(404);
  expect((await api.get('/clients/abc')).status).toBe(404);
  const config = env.ctx.app.config;
  const restricted = await servePanel(env.ctx, { ...config, panel: { ...config.panel, restrictToDepartment: true } });
  try {
    const narrow = await staffApi(restricted.url, secret, specialists[0]);
    const card = await (await narrow.get(`/clients/${clientId}`)).json() as { company: string; history: { rows: Array<{ number: number }> } };
    expect(card.company).toBe('ООО Василёк');
    // Resolved tickets of nobody in their department are not theirs to read; the new one is everyone's to dispatch.
    expect(card.history.rows.map((r) => r.number)).toEqual([numbers.open]);
  } finally {
    await restricted.close();
  }
}, 120_000);
