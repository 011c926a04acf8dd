import type { Logger } from 'pino';
import { listMessages } from '../../tickets/store/message-repo.js';
import { makeTestEnv, startApp, type RunningApp, type TestEnv, type TestEnvOptions } from './app.js';
import { SmtpSink } from './smtp-sink.js';

/** The app of a mail test file, with the SMTP sink that receives what it sends. */
export interface MailApp {
  smtp: SmtpSink;
  t: TestEnv;
  app: RunningApp;
}

export interface MailAppOptions {
  engine?: TestEnvOptions['engine'];
  /** A logger the test reads; silent when absent. */
  log?: Logger;
  /** Runs once the app is up: clients to insert, mails to deliver. */
  prepare?: (ctx: MailApp) => Promise<void>;
}

/**
 * Registers the hooks of a test file that runs the whole app against an SMTP sink: started once
 * before the file's tests, stopped after them. The fields of the returned object are set by then.
 */
export function useMailApp(o: MailAppOptions = {}): MailApp {
  const ctx = {} as MailApp;
  beforeAll(async () => {
    ctx.smtp = await SmtpSink.start();
    ctx.t = await makeTestEnv({ smtp: ctx.smtp, engine: o.engine });
    ctx.app = await startApp(ctx.t, o.log);
    await o.prepare?.(ctx);
    // PGlite's first start (WASM, every migration) takes long on a busy machine.
  }, o.engine === 'pglite' ? 180_000 : undefined);
  afterAll(async () => {
    await ctx.app?.stop();
    await ctx.smtp?.down();
  });
  return ctx;
}

/** The first message of the ticket that the mail with this Message-ID joined, or null while there is none. */
export async function firstMessageOfMail(app: RunningApp, messageId: string) {
  const [row] = await app.core.db.query<{ ticket_id: number }>('select ticket_id from messages where message_id = $1', [messageId]);
  return row ? (await listMessages(app.core.db, row.ticket_id))[0] : null;
}
