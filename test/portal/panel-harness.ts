import http from 'node:http';
import express from 'express';
import type { Browser } from 'playwright-core';
import type { Config } from '../../config/load-config.js';
import { freePort } from '../../main/free-port.js';
import { createLogger } from '../../main/logger.js';
import { runPanel } from '../../main/run-panel.js';
import { launchChromium } from '../harness/browser.js';
import { startSandboxApp, type SandboxApp } from '../harness/sandbox-app.js';
import { staffLink } from '../../bot/panel-links.js';

export interface PanelServer {
  url: string;
  close(): Promise<void>;
}

/** The operator panel of the running app on a real HTTP server of its own (as the web process serves it). */
export async function servePanel(ctx: SandboxApp, config: Config = ctx.app.config, port?: number): Promise<PanelServer> {
  const panel = await runPanel(config, ctx.app.core, createLogger('silent', 'test'), ctx.app.b24);
  const app = express();
  app.use(panel.router);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await panel.stop();
    },
  };
}

/**
 * The whole app on PostgreSQL with a sandbox portal and the bot, plus its panel at PUBLIC_URL
 * (so the links the bot signs lead there).
 */
export async function startPanelApp(extra: Record<string, string> = {}): Promise<{ ctx: SandboxApp; panel: PanelServer }> {
  const port = await freePort();
  const ctx = await startSandboxApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, BOT_TASK_POLL_SECONDS: '1', ...extra }, 'postgres');
  return { ctx, panel: await servePanel(ctx, ctx.app.config, port) };
}

/** The signed "Open" link in a bot message's text. */
export function openLinkIn(text: string): string {
  const m = /\[url=(http[^\]]+\/tickets\/\d+\?t=[^\]]+)\]/.exec(text);
  if (!m) throw new Error(`no signed link in: ${text}`);
  return m[1];
}

/** A staff member's API session, as the page holds it after opening a signed link: cookie and CSRF token. */
export interface StaffApi {
  cookie: string;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown): Promise<Response>;
  send(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function staffApi(url: string, secret: string, b24UserId: number): Promise<StaffApi> {
  const link = staffLink({ publicUrl: url, secret, lifetimeMs: 60_000 }, '/panel', b24UserId, new Date());
  const res = await fetch(link, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie.startsWith('panel_session=')) throw new Error(`no session for user ${b24UserId}: ${res.status}`);
  const me = await (await fetch(`${url}/api/panel/me`, { headers: { cookie } })).json() as { csrfToken: string };
  const send = (method: string, path: string, body?: unknown) => fetch(`${url}/api/panel${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
  });
  return { cookie, get: (path) => fetch(`${url}/api/panel${path}`, { headers: { cookie } }), post: (path, body) => send('POST', path, body), send };
}

/** What a panel browser test runs against: filled in by `beforeAll`, closed by `afterAll`. */
export interface PanelBrowserEnv<C extends { close(): Promise<void> } = SandboxApp> {
  ctx: C;
  panel: PanelServer;
  browser: Browser;
}

/** Starts the app with its panel and a Chromium for the test file, and closes all three after it. */
export function usePanelBrowser<C extends { close(): Promise<void> } = SandboxApp>(
  start: () => Promise<{ ctx: C; panel: PanelServer }>,
): PanelBrowserEnv<C> {
  const env = {} as PanelBrowserEnv<C>;
  beforeAll(async () => {
    Object.assign(env, await start());
    env.browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.panel?.close();
    await env.ctx?.close();
  });
  return env;
}
