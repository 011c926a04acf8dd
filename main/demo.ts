// The demo: everything in one process on embedded defaults. PGlite in ./data, a private
// redis-server, a drop folder for .eml files (./data/inbox) and a local SMTP listener that
// writes outgoing mail to ./data/outbox. Any setting given in the environment wins.
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from './local-redis.js';
import { startDemoOutbox } from './demo-outbox.js';
import { dropSampleMails, seedDemoData } from './demo-seed.js';
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runWorkers } from './run-worker.js';
import { runIntake } from './run-intake.js';

const dataDir = path.resolve(process.env.DATA_DIR || './data');
let redis: LocalRedis | undefined;
let outbox: Awaited<ReturnType<typeof startDemoOutbox>> | undefined;
const env: Record<string, string | undefined> = {
  DATA_DIR: dataDir,
  MAIL_DROP_DIR: path.join(dataDir, 'inbox'),
  MAIL_FROM: 'Modest Support <support@modest.example>',
  ...process.env,
};
if (!env.REDIS_URL) {
  redis = await startLocalRedis(path.join(dataDir, 'redis'), { persist: true });
  env.REDIS_URL = redis.url;
}
if (!env.SMTP_URL) {
  outbox = await startDemoOutbox(path.join(dataDir, 'outbox'));
  env.SMTP_URL = outbox.url;
}

await runProcess('demo', (c) => c.http.port, async (config, log) => {
  const core = await openCoreServices(config);
  if (await seedDemoData(core.db) && config.mail.dropDir) dropSampleMails(config.mail.dropDir);
  const stopWorkers = await runWorkers(config, core, log);
  const intake = await runIntake(config, core, log);
  log.info({ dropDir: config.mail.dropDir, outbox: path.join(dataDir, 'outbox'), health: `http://127.0.0.1:${config.http.port}/readyz` },
    'demo ready: drop .eml files into dropDir; mail we send appears in outbox');
  return {
    checks: { ...core.checks, mailboxes: intake.check },
    stop: async () => {
      await intake.stop();
      await stopWorkers();
      await core.close();
      await outbox?.close();
      await redis?.stop();
    },
  };
}, env);
