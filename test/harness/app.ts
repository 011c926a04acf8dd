import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { loadConfig, type Config } from '../../config/load-config.js';
import { createLogger, type Logger } from '../../main/logger.js';
import { openCoreServices, type CoreServices } from '../../main/services.js';
import { runWorkers } from '../../main/run-worker.js';
import { runIntake, type Intake } from '../../main/run-intake.js';
import { runBitrix24, type Bitrix24Runtime } from '../../main/run-bitrix24.js';
import type { Sandbox } from '../../sandbox/index.js';
import { sandboxEnv } from '../../main/sandbox-env.js';
import { createDatabase } from './postgres.js';
import { DOVECOT_PASSWORD } from './dovecot.js';
import type { SmtpSink } from './smtp-sink.js';
import { freshPgliteDir } from './pglite-template.js';
import { paceFor } from './test-portal.js';

export interface TestEnvOptions {
  smtp: SmtpSink;
  engine?: 'postgres' | 'pglite';
  imapPort?: number;
  extra?: Record<string, string>;
}

export interface TestEnv {
  env: Record<string, string>;
  mailboxUser: string;
  dataDir: string;
}

/** Settings for one isolated app: its own database, queue prefix, mailbox user and data folder. */
export async function makeTestEnv(o: TestEnvOptions): Promise<TestEnv> {
  const id = crypto.randomBytes(4).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-app-'));
  const mailboxUser = `box${id}`;
  const imapPort = o.imapPort ?? Number(process.env.TEST_IMAP_PORT);
  const env: Record<string, string> = {
    REDIS_URL: process.env.TEST_REDIS_URL!,
    QUEUE_PREFIX: `t${id}`,
    DATA_DIR: dataDir,
    IMAP_URLS: `imap://${mailboxUser}:${DOVECOT_PASSWORD}@127.0.0.1:${imapPort}/INBOX?name=support`,
    MAIL_POLL_INTERVAL_SECONDS: '1',
    SMTP_URL: o.smtp.url,
    MAIL_FROM: 'Acme Support <support@modest.example>',
    LOG_LEVEL: 'silent',
    HEALTH_PORT: '0',
    ...o.extra,
  };
  if ((o.engine ?? 'postgres') === 'postgres') env.DATABASE_URL = await createDatabase(process.env.TEST_DATABASE_URL!);
  else freshPgliteDir(path.join(dataDir, 'pglite'));
  return { env, mailboxUser, dataDir };
}

export interface RunningApp {
  config: Config;
  core: CoreServices;
  intake: Intake;
  /** Present when the settings name a Bitrix24 portal (see withSandbox). */
  b24: Bitrix24Runtime | null;
  stop(): Promise<void>;
}

/** Settings that connect the app to a sandbox portal through an inbound webhook (user 1). */
export function withSandbox(t: TestEnv, sandbox: Sandbox, extra: Record<string, string> = {}): TestEnv {
  return {
    ...t,
    env: {
      ...t.env, ...sandboxEnv(sandbox, t.dataDir, { botToken: `bot-${t.env.QUEUE_PREFIX}` }), ...paceFor(sandbox),
      B24_EVENT_POLL_SECONDS: '0.3', B24_BOT_CODE: `modest_${t.env.QUEUE_PREFIX}`, BOT_TICK_SECONDS: '0.5', ...extra,
    },
  };
}

/** Runs intake and workers in this process, as the demo does; silent unless a test passes a logger to read. */
export async function startApp(t: TestEnv, log: Logger = createLogger('silent', 'test')): Promise<RunningApp> {
  const config = loadConfig(t.env);
  const core = await openCoreServices(config, log);
  const stopWorkers = await runWorkers(config, core, log);
  const intake = await runIntake(config, core, log);
  const b24 = await runBitrix24(config, core, log, { processCalls: true, runBot: true });
  return {
    config, core, intake, b24,
    stop: async () => {
      await b24?.stop();
      await intake.stop();
      await stopWorkers();
      await core.queues.ingest.obliterate({ force: true }).catch(() => {});
      await core.queues.mailOut.obliterate({ force: true }).catch(() => {});
      await core.queues.maintenance.obliterate({ force: true }).catch(() => {});
      await core.close();
    },
  };
}

/** Appends raw messages to a test user's INBOX, as a mail server's delivery would. */
export async function deliver(user: string, raws: Array<string | Buffer>, port = Number(process.env.TEST_IMAP_PORT)): Promise<void> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: DOVECOT_PASSWORD }, logger: false });
  await client.connect();
  try {
    for (const raw of raws) await client.append('INBOX', raw);
  } finally {
    await client.logout();
  }
}

/** UIDs in the user's INBOX that carry `keyword`. */
export async function flaggedCount(user: string, keyword: string, port = Number(process.env.TEST_IMAP_PORT)): Promise<{ total: number; flagged: number }> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: DOVECOT_PASSWORD }, logger: false });
  await client.connect();
  try {
    const box = await client.mailboxOpen('INBOX');
    const flagged = await client.search({ keyword }, { uid: true });
    return { total: box.exists, flagged: (flagged || []).length };
  } finally {
    await client.logout();
  }
}

export function fixture(name: string): Buffer {
  return fs.readFileSync(new URL(`../fixtures/mail/${name}`, import.meta.url));
}
