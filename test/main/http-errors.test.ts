import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { SmtpSink } from '../harness/smtp-sink.js';
import { makeTestEnv } from '../harness/app.js';
import { kill9, spawnEntry } from '../harness/processes.js';
import { freePort } from '../../main/free-port.js';
import { eventually } from '../harness/wait.js';

// No HTTP answer of any of our processes shows a stack trace, a file path or the request's
// path, whatever is sent to it (issue 12): the web process, a worker's health server and the
// sandbox portal, each sent broken bodies and unknown paths.
let smtp: SmtpSink;
let sandbox: Sandbox;
beforeAll(async () => {
  smtp = await SmtpSink.start();
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  await smtp.down();
});

const PROBE = '/no-such-page-7f3a';
const LEAKS = /\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d|Error:|no-such-page-7f3a|<pre>/;

interface Probe { method: string; path: string; headers?: Record<string, string>; body?: string }

const broken = (p: string): Probe[] => [
  { method: 'GET', path: PROBE },
  { method: 'POST', path: PROBE, headers: { 'content-type': 'application/json' }, body: '{"a":' },
  { method: 'POST', path: p, headers: { 'content-type': 'application/json' }, body: '{"auth": {"application_token": ' },
  { method: 'POST', path: p, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r' }, body: 'event=x' },
  { method: 'POST', path: p, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: 'not gzip at all' },
  { method: 'POST', path: p, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'br-unknown' }, body: 'event=x' },
  { method: 'POST', path: p, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'auth[application_token]=%E0%A4%A&event=%' },
];

async function answers(base: string, probes: Probe[]): Promise<Array<{ probe: string; status: number; body: string }>> {
  const out = [];
  for (const p of probes) {
    const res = await fetch(`${base}${p.path}`, { method: p.method, headers: p.headers, body: p.body });
    out.push({ probe: `${p.method} ${p.path} ${JSON.stringify(p.headers ?? {})}`, status: res.status, body: await res.text() });
  }
  return out;
}

function expectClean(rows: Array<{ probe: string; status: number; body: string }>): void {
  for (const row of rows) {
    expect({ probe: row.probe, leaks: LEAKS.test(row.body) }).toEqual({ probe: row.probe, leaks: false });
  }
}

test('the web process (OAuth mode) and a worker\'s health server answer every broken request without details', async () => {
  // Two processes on one database: PostgreSQL (PGlite is one process's).
  const t = await makeTestEnv({ smtp, engine: 'postgres' });
  const caFile = path.join(t.dataDir, 'ca.pem');
  fs.writeFileSync(caFile, sandbox.caCertPem);
  const webPort = await freePort();
  const app = sandbox.createApp();
  const web = spawnEntry('web', {
    ...t.env, HTTP_PORT: String(webPort), B24_CLIENT_ID: app.clientId, B24_CLIENT_SECRET: app.clientSecret,
    B24_PUBLIC_URL: `http://127.0.0.1:${webPort}`, B24_PORTAL_URL: sandbox.baseUrl, B24_OAUTH_SERVER_URL: sandbox.baseUrl,
    B24_CA_FILE: caFile, BOT_DISPATCHERS: '2', LOG_LEVEL: 'warn',
  });
  const healthPort = await freePort();
  const worker = spawnEntry('worker', { ...t.env, HEALTH_PORT: String(healthPort), IMAP_URLS: '' });
  try {
    const webBase = `http://127.0.0.1:${webPort}`;
    const ready = await eventually('web up', async () => (await fetch(`${webBase}/readyz`).catch(() => null)) ?? null, 60_000)
      .catch((err: Error) => { throw new Error(`${err.message}\n${web.output.join('')}`); });
    // The web process stays ready before the install (it must receive it) and says so.
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { bitrix24: { ok: true, detail: { installation: 'not installed' } } } });
    expectClean(await answers(webBase, [...broken('/b24/events'), ...broken('/b24/install'), { method: 'POST', path: '/readyz', body: 'x' }]));
    await eventually('worker up', async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz`).catch(() => null))?.ok, 60_000);
    expectClean(await answers(`http://127.0.0.1:${healthPort}`, broken('/healthz')));
    // The details are in the web process's log, not in its answers.
    expect(web.output.join('')).toContain('http request refused');
  } finally {
    await kill9(web, worker);
  }
}, 120_000);

test('the sandbox portal answers broken requests without details too', async () => {
  const sandboxAnswers = await fetchInsecure(sandbox, [...broken('/sandbox/api/faults'), ...broken('/oauth/token/'), ...broken('/rest/user.get')]);
  expectClean(sandboxAnswers);
});

/** The sandbox speaks HTTPS with its own certificate: ask through node:https with its CA. */
async function fetchInsecure(s: Sandbox, probes: Probe[]): Promise<Array<{ probe: string; status: number; body: string }>> {
  const https = await import('node:https');
  const out = [];
  for (const p of probes) {
    const row = await new Promise<{ probe: string; status: number; body: string }>((resolve, reject) => {
      const req = https.request(`${s.baseUrl}${p.path}`, { method: p.method, headers: p.headers, ca: s.caCertPem }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; }).on('end', () => resolve({ probe: `${p.method} ${p.path}`, status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(p.body);
    });
    out.push(row);
  }
  return out;
}
