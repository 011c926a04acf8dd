import http from 'node:http';
import express from 'express';
import type { Sandbox } from '../../sandbox/index.js';
import type { BotIdentity } from '../../connectors/bitrix24/imbot.js';
import { createLogger } from '../../main/logger.js';
import { sandboxEnv } from '../../main/sandbox-env.js';
import { finishRoutes } from '../../main/http-errors.js';
import { pushRoutes } from '../../main/run-push-route.js';
import { SmtpSink } from './smtp-sink.js';
import { makeTestEnv, startApp, type RunningApp, type TestEnv } from './app.js';
import { eventually } from './wait.js';
import { paceFor, startTestSandbox } from './test-portal.js';
import type { SandboxApp } from './sandbox-app.js';

/** The app connected to a sandbox portal as a local OAuth application, events pushed to its web routes. */
export interface OAuthSandboxApp extends SandboxApp {
  clientId: string;
  /** Where the sandbox pushes: `{publicUrl}/b24/install`, `{publicUrl}/b24/events`. */
  publicUrl: string;
  /** Installs (again) through the sandbox, as an administrator saving the app form does; waits for the bot. */
  install(): Promise<void>;
}

/** An HTTP server on a free port whose handler is set later (its URL must be in the settings first). */
async function lateServer(): Promise<{ url: string; server: http.Server; use(app: express.Express): void }> {
  let handler: express.Express | null = null;
  const server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, use: (app) => { handler = app; } };
}

/** OAuth settings for a sandbox app: the portal and the OAuth server are the sandbox (configuration, not requests). */
export function withOAuthSandbox(t: TestEnv, sandbox: Sandbox, app: { clientId: string; clientSecret: string }, publicUrl: string,
  extra: Record<string, string> = {}): TestEnv {
  return {
    ...t,
    env: {
      ...t.env, ...sandboxEnv(sandbox, t.dataDir, { oauth: { ...app, publicUrl } }), ...paceFor(sandbox),
      B24_EVENT_POLL_SECONDS: '0.3', B24_BOT_CODE: `modest_${t.env.QUEUE_PREFIX}`, BOT_TICK_SECONDS: '0.5', ...extra,
    },
  };
}

/** The bot of our code on the portal now (a reinstall registers a new one). */
export function portalBot(sandbox: Sandbox, code: string): BotIdentity | null {
  const bot = (sandbox.bots() as Array<Record<string, unknown>>).find((b) => b.code === code);
  return bot ? { botId: Number(bot.id) } : null;
}

/** Web routes (install, events) and worker (calls, bot) of the app in this process, not installed until install(). */
export async function startOAuthSandboxApp(extra: Record<string, string> = {}): Promise<OAuthSandboxApp> {
  const sandbox = await startTestSandbox();
  const smtp = await SmtpSink.start();
  const web = await lateServer();
  const creds = sandbox.createApp();
  const t = withOAuthSandbox(await makeTestEnv({ smtp, engine: 'pglite' }), sandbox, creds, web.url, extra);
  let app: RunningApp = await startApp(t);
  const mount = (running: RunningApp) => {
    const routes = express();
    const c = running.config.bitrix24;
    if (c.mode !== 'oauth') throw new Error('not OAuth settings');
    routes.use(pushRoutes(running.core, running.b24!.eventsQueue, createLogger('silent', 'test'), c));
    finishRoutes(routes);
    web.use(routes);
  };
  mount(app);
  const code = t.env.B24_BOT_CODE;
  const ctx: OAuthSandboxApp = {
    sandbox, smtp, t, clientId: creds.clientId, publicUrl: web.url,
    get app() { return app; },
    set app(a: RunningApp) { app = a; },
    bot: { botId: 0 },
    async install() {
      sandbox.installApp({ clientId: creds.clientId, installHandlerUrl: `${web.url}/b24/install` });
      await sandbox.settlePushes();
      ctx.bot = await eventually('the bot registered and running', async () => {
        const bot = portalBot(sandbox, code);
        const ready = await app.b24!.check();
        return bot && ready.ok ? bot : null;
      }, 60_000);
    },
    async restart(between) {
      await app.stop();
      await between?.();
      app = await startApp(t);
      mount(app);
    },
    async close() {
      await app.stop();
      web.server.closeAllConnections();
      await new Promise((r) => web.server.close(r));
      await smtp.down();
      await sandbox.close();
    },
  };
  return ctx;
}
