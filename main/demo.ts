// The demo: everything in one process on embedded defaults. PGlite in ./data, a private
// redis-server, a drop folder for .eml files (./data/inbox), a local SMTP listener that
// writes outgoing mail to ./data/outbox, and the sandbox Bitrix24 portal with sample staff.
// It says what it is doing while it starts, and once HTTP, the bot and the dispatch chat are
// up it prints "ready" and the addresses to open (demoAddresses). Any setting given in the
// environment wins.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/load-config.js';
import type { Sandbox } from '../sandbox/index.js';
import type { LocalRedis } from './local-redis.js';
import type { Bitrix24Runtime } from './run-bitrix24.js';
import { sandboxEnv } from './sandbox-env.js';
import { announceDemoReady, type DemoAddress } from './demo-announce.js';
import { createLogger, isPrettyLog, type LogFormat, type Logger } from './logger.js';

const dataDir = path.resolve(process.env.DATA_DIR || './data');
const env: Record<string, string | undefined> = {
  DATA_DIR: dataDir,
  MAIL_DROP_DIR: path.join(dataDir, 'inbox'),
  MAIL_FROM: 'Modest Support <support@modest.example>',
  COMPANY_DETAILS_RU: 'ООО «Модест» (демо), ИНН 7700000000\\nМосква, ул. Тверская, 1 · support@modest.example',
  COMPANY_DETAILS_EN: 'Modest LLC (demo), TIN 7700000000\\n1 Tverskaya St, Moscow · support@modest.example',
  ...process.env,
};
// Links in the cabinet's mails point at this process unless the environment says otherwise.
env.PUBLIC_URL ??= `http://localhost:${env.HTTP_PORT ?? 3000}`;
const logFormat = (env.LOG_FORMAT ?? 'auto') as LogFormat;
// Before the settings are read (they need the addresses started here), progress goes to a logger of its own.
const progress = createLogger(env.LOG_LEVEL ?? 'info', 'demo', logFormat);
const firstStart = !fs.existsSync(path.join(dataDir, 'pglite'));
progress.info(firstStart ? 'first start: setting up the demo in the data folder (about a minute)' : 'starting the demo');

/**
 * The parts, loaded after the first line above: loading them takes seconds on a cold start,
 * which a newcomer would otherwise spend looking at an empty terminal.
 */
const [{ startSandbox }, { startLocalRedis }, { startDemoOutbox }, seed, { runProcess }, { openCoreServices }, { runWorkers },
  { runIntake }, { runBitrix24 }, { runCabinet }, { runPanel }, { default: express }] = await Promise.all([
  import('../sandbox/index.js'), import('./local-redis.js'), import('./demo-outbox.js'), import('./demo-seed.js'),
  import('./run-process.js'), import('./services.js'), import('./run-worker.js'), import('./run-intake.js'),
  import('./run-bitrix24.js'), import('./run-cabinet.js'), import('./run-panel.js'), import('express'),
]);

let redis: LocalRedis | undefined;
let outbox: { close(): Promise<void> } | undefined;
let sandbox: Sandbox | undefined;

/** Redis, the SMTP outbox and the sandbox portal, unless the environment names real ones. */
async function startLocalServices(): Promise<void> {
  if (!env.REDIS_URL) {
    progress.info('starting a private Redis');
    redis = await startLocalRedis(path.join(dataDir, 'redis'), { ownProcessGroup: true });
    env.REDIS_URL = redis.url;
  }
  if (!env.SMTP_URL) {
    const listener = await startDemoOutbox(path.join(dataDir, 'outbox'));
    outbox = listener;
    env.SMTP_URL = listener.url;
  }
  if (!env.B24_WEBHOOK_URL && !env.B24_CLIENT_ID) {
    progress.info('starting the sandbox Bitrix24 portal');
    // The portal keeps its state in the data folder, as a real one would: a restart comes back as it was.
    sandbox = await startSandbox({ port: Number(env.SANDBOX_PORT ?? 3443), stateFile: path.join(dataDir, 'sandbox', 'state.json') });
    // The sample portal's staff: dispatcher and director in the dispatch chat, two support lines, developers.
    Object.assign(env, { ...sandboxEnv(sandbox, dataDir, { botToken: 'demo-bot-token-0001' }), ...env, B24_EVENT_POLL_SECONDS: '1' });
    // The director reviews the monthly reports.
    env.REPORT_REVIEWERS ??= '1';
  }
}

/**
 * What a newcomer opens, in order, printed after "ready" one per line. Add an entry here for
 * anything new to open (the operator panel, ...).
 */
function demoAddresses(config: Config, logins: Array<{ email: string; company: string }>): DemoAddress[] {
  const list: DemoAddress[] = [];
  if (sandbox) {
    list.push({ label: 'Sandbox messenger', at: sandbox.messengerUrl,
      hint: 'accept the certificate; as Ольга Кузнецова (dispatcher) open "Диспетчерская поддержки" and assign the sample tickets' });
  }
  list.push(
    { label: 'Client cabinet', at: `${config.publicUrl}/`,
      hint: `sign in as ${logins.map((l) => l.email).join(' or ')}, password ${seed.DEMO_CABINET_PASSWORD}` },
    { label: 'Operator panel', at: `${config.publicUrl}/panel`,
      hint: 'write /panel to the bot in the sandbox messenger for a sign-in link' },
    { label: 'Send us mail', at: config.mail.dropDir ?? '', hint: 'save an .eml file here; it becomes a ticket within a second' },
    { label: 'Mail we sent', at: path.join(dataDir, 'outbox'), hint: 'every mail to clients, as .eml' },
    { label: 'Health', at: `http://127.0.0.1:${config.http.port}/readyz` },
  );
  return list.filter((a) => a.at);
}

/** What the start leaves for the announcement after it. */
const started: { log: Logger; b24: Bitrix24Runtime | null; addresses: DemoAddress[] } = { log: progress, b24: null, addresses: [] };

await startLocalServices();
await runProcess('demo', (c) => c.http.port, async (config, log) => {
  started.log = log;
  log.info(firstStart ? 'creating the database (first start: the migrations take a few seconds)' : 'opening the database');
  const core = await openCoreServices(config, log);
  if (await seed.seedDemoData(core.db, seed.demoStaff(sandbox)) && config.mail.dropDir) seed.dropSampleMails(config.mail.dropDir);
  const stopWorkers = await runWorkers(config, core, log);
  const intake = await runIntake(config, core, log);
  if (config.bitrix24.mode !== 'off') log.info('registering the bot on the portal');
  const b24 = await runBitrix24(config, core, log, { processCalls: true, runBot: true });
  started.b24 = b24;
  log.info('preparing the client cabinet');
  const cabinet = await runCabinet(config, core, log);
  const panel = await runPanel(config, core, log, b24);
  const app = express();
  app.use(panel.router);
  app.use(cabinet.router);
  started.addresses = demoAddresses(config, await seed.seedDemoCabinet(core.db));
  return {
    app,
    checks: { ...core.checks, mailboxes: intake.check, ...(b24 ? { bitrix24: b24.check } : {}) },
    stop: async () => {
      await b24?.stop();
      await cabinet.stop();
      await panel.stop();
      await intake.stop();
      await stopWorkers();
      await core.close();
      await outbox?.close();
      await sandbox?.close();
      await redis?.stop();
    },
  };
}, env);

announceWhenReady();

/** HTTP listens now; "ready" waits for the bot and its dispatch chat too. */
function announceWhenReady(): void {
  const { log, b24, addresses } = started;
  const announce = () => announceDemoReady(log, addresses, isPrettyLog(logFormat));
  if (!b24) return announce();
  log.info('waiting for the bot and the dispatch chat');
  b24.bot.then(announce, (err: Error) => log.error({ err: err.message }, 'the bot did not start: the demo runs without it (see the lines above)'));
}
