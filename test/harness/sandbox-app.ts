import type { Sandbox, SandboxOptions } from '../../sandbox/index.js';
import type { BotIdentity } from '../../connectors/bitrix24/imbot.js';
import { SmtpSink } from './smtp-sink.js';
import { startTestSandbox } from './test-portal.js';
import { makeTestEnv, startApp, withSandbox, type RunningApp, type TestEnv } from './app.js';

/** The app (on PGlite unless told) connected to a fresh sandbox portal through an inbound webhook. */
export interface SandboxApp {
  sandbox: Sandbox;
  smtp: SmtpSink;
  t: TestEnv;
  app: RunningApp;
  bot: BotIdentity;
  /** Stops the app and starts it again on the same settings, database and portal. */
  restart(between?: () => Promise<void> | void): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxApp(extra: Record<string, string> = {}, engine: 'pglite' | 'postgres' = 'pglite',
  portal: SandboxOptions = {}): Promise<SandboxApp> {
  const sandbox = await startTestSandbox(portal);
  const smtp = await SmtpSink.start();
  const t = withSandbox(await makeTestEnv({ smtp, engine }), sandbox, extra);
  const app = await startApp(t);
  const ctx: SandboxApp = {
    sandbox, smtp, t, app, bot: await app.b24!.bot,
    async restart(between) {
      await ctx.app.stop();
      await between?.();
      ctx.app = await startApp(t);
      ctx.bot = await ctx.app.b24!.bot;
    },
    async close() {
      await ctx.app.stop();
      await smtp.down();
      await sandbox.close();
    },
  };
  return ctx;
}
