import { sampleRoles } from '../../sandbox/index.js';
import { startOAuthSandboxApp } from '../harness/oauth-app.js';
import { eventually } from '../harness/wait.js';
import { servePanel, usePanelBrowser } from './panel-harness.js';

// OAuth mode: the panel opens inside the portal as the application's page. The portal posts the
// person's token; the configured portal (the sandbox) is asked whose it is; nothing is believed as given.
const { specialists } = sampleRoles;
const specialist = specialists[0];
const env = usePanelBrowser(async () => {
  const ctx = await startOAuthSandboxApp();
  return { ctx, panel: await servePanel(ctx) };
});

async function openAppPage(form: Record<string, string>, query: Record<string, string>): Promise<Response> {
  return fetch(`${env.panel.url}/b24/app?${new URLSearchParams(query)}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

test('before the install the page is refused; after it, the portal\'s word on the token signs the person in, and a forged one is refused', async () => {
  const early = env.ctx.sandbox.openAppPage(env.ctx.clientId, specialist);
  const refusedEarly = await openAppPage(early.form, early.query);
  expect(refusedEarly.status).toBe(403);
  expect(refusedEarly.headers.get('set-cookie')).toBeNull();

  await env.ctx.install();
  await eventually('the directory synced', async () =>
    (await env.ctx.app.core.db.query('select 1 from employees where b24_user_id = $1', [String(specialist)]))[0]);
  const { form, query } = env.ctx.sandbox.openAppPage(env.ctx.clientId, specialist);
  const refusals: Array<[string, Record<string, string>, Record<string, string>]> = [
    ['a forged token', { ...form, AUTH_ID: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0' }, query],
    ['another portal named', form, { ...query, DOMAIN: 'evil.example' }],
    ['another member_id', { ...form, member_id: 'someone-else' }, query],
    ['a forged application token', { ...form, APPLICATION_TOKEN: 'e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1' }, query],
    ['no application token', Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'APPLICATION_TOKEN')), query],
    ['another application\'s token', env.ctx.sandbox.openAppPage(env.ctx.sandbox.createApp().clientId, specialist).form, query],
  ];
  for (const [why, f, q] of refusals) {
    const res = await openAppPage(f, q);
    expect([why, res.status, res.headers.get('set-cookie')]).toEqual([why, 403, null]);
  }

  const res = await openAppPage(form, query);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/panel');
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const me = await (await fetch(`${env.panel.url}/api/panel/me`, { headers: { cookie } })).json() as { name: string };
  expect(me.name).toBe('Дмитрий Волков');
  // The portal may frame the panel; nobody else may.
  const page = await fetch(`${env.panel.url}/panel`, { headers: { cookie } });
  expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${env.ctx.app.config.bitrix24.mode === 'oauth' ? env.ctx.app.config.bitrix24.portalUrl : ''}`);
}, 180_000);

test('in a browser, the portal\'s post opens the queue signed in', async () => {
  const { form, query } = env.ctx.sandbox.openAppPage(env.ctx.clientId, specialist);
  const page = await (await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' })).newPage();
  const fields = Object.entries(form).map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
  await page.setContent(`<form method="post" action="${env.panel.url}/b24/app?${new URLSearchParams(query)}">${fields}</form>`);
  await page.evaluate(() => document.querySelector('form')!.submit());
  await page.getByRole('heading', { name: 'Очередь' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/panel');
  await page.getByText('Дмитрий Волков').first().waitFor();
}, 120_000);
