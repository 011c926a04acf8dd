// The demo: everything in one process on embedded defaults. PGlite in ./data, a private
// redis-server, a drop folder for .eml files (./data/inbox), a local SMTP listener that
// writes outgoing mail to ./data/outbox, and the sandbox Bitrix24 portal with sample staff
// (its messenger page is in the log). Any setting given in the environment wins.
import path from 'node:path';
import { sampleRoles, startSandbox, type Sandbox } from '../sandbox/index.js';
import { sandboxEnv } from './sandbox-env.js';
import { startLocalRedis, type LocalRedis } from './local-redis.js';
import { startDemoOutbox } from './demo-outbox.js';
import express from 'express';
import { dropSampleMails, seedDemoCabinet, seedDemoData, type DemoStaff } from './demo-seed.js';
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runWorkers } from './run-worker.js';
import { runIntake } from './run-intake.js';
import { runBitrix24 } from './run-bitrix24.js';
import { runCabinet } from './run-cabinet.js';

const dataDir = path.resolve(process.env.DATA_DIR || './data');
let redis: LocalRedis | undefined;
let outbox: Awaited<ReturnType<typeof startDemoOutbox>> | undefined;
const env: Record<string, string | undefined> = {
  DATA_DIR: dataDir,
  MAIL_DROP_DIR: path.join(dataDir, 'inbox'),
  MAIL_FROM: 'Modest Support <support@modest.example>',
  ...process.env,
};
// Links in the cabinet's mails point at this process unless the environment says otherwise.
env.PUBLIC_URL ??= `http://localhost:${env.HTTP_PORT ?? 3000}`;
if (!env.REDIS_URL) {
  redis = await startLocalRedis(path.join(dataDir, 'redis'));
  env.REDIS_URL = redis.url;
}
if (!env.SMTP_URL) {
  outbox = await startDemoOutbox(path.join(dataDir, 'outbox'));
  env.SMTP_URL = outbox.url;
}
let sandbox: Sandbox | undefined;
if (!env.B24_WEBHOOK_URL && !env.B24_CLIENT_ID) {
  // The portal keeps its state in the data folder, as a real one would: a restart comes back as it was.
  sandbox = await startSandbox({ port: Number(env.SANDBOX_PORT ?? 3443), stateFile: path.join(dataDir, 'sandbox', 'state.json') });
  // The sample portal's staff: dispatcher and director in the dispatch chat, two support lines, developers.
  Object.assign(env, { ...sandboxEnv(sandbox, dataDir, { botToken: 'demo-bot-token-0001' }), ...env, B24_EVENT_POLL_SECONDS: '1' });
  // The director reviews the monthly reports.
  env.REPORT_REVIEWERS ??= '1';
}

/** The sample portal's account manager for the sample contracts; none with a real portal. */
function demoStaff(portal: Sandbox | undefined): DemoStaff {
  const u = portal?.portal.state.data.users.get(sampleRoles.accountManager);
  return { accountManager: u ? { b24UserId: u.id, name: `${u.name} ${u.lastName}`, email: u.email } : null };
}

await runProcess('demo', (c) => c.http.port, async (config, log) => {
  const core = await openCoreServices(config, log);
  if (await seedDemoData(core.db, demoStaff(sandbox)) && config.mail.dropDir) dropSampleMails(config.mail.dropDir);
  const stopWorkers = await runWorkers(config, core, log);
  const intake = await runIntake(config, core, log);
  const b24 = await runBitrix24(config, core, log, { processCalls: true, runBot: true });
  const cabinet = await runCabinet(config, core, log);
  const app = express();
  app.use(cabinet.router);
  log.info({ cabinet: config.publicUrl, logins: await seedDemoCabinet(core.db) },
    'client cabinet: open the address and sign in with a demo login (invite more with npm run cabinet -- invite)');
  log.info({
    dropDir: config.mail.dropDir, outbox: path.join(dataDir, 'outbox'), health: `http://127.0.0.1:${config.http.port}/readyz`,
    messenger: sandbox?.messengerUrl,
  }, 'demo ready: drop .eml files into dropDir; mail we send appears in outbox; the sandbox messenger shows the bot');
  return {
    app,
    checks: { ...core.checks, mailboxes: intake.check, ...(b24 ? { bitrix24: b24.check } : {}) },
    stop: async () => {
      await b24?.stop();
      await cabinet.stop();
      await intake.stop();
      await stopWorkers();
      await core.close();
      await outbox?.close();
      await sandbox?.close();
      await redis?.stop();
    },
  };
}, env);
