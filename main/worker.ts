// Job processors (ingest, outbound mail, maintenance). Run as many as you like on the same
// Redis and database.
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runWorkers } from './run-worker.js';
import { runBitrix24 } from './run-bitrix24.js';

await runProcess('worker', (c) => c.http.healthPort, async (config, log) => {
  const core = await openCoreServices(config, log);
  const stopWorkers = await runWorkers(config, core, log);
  const b24 = await runBitrix24(config, core, log, { processCalls: true, runBot: true });
  return {
    checks: { ...core.checks, ...(b24 ? { bitrix24: b24.check } : {}) },
    stop: async () => { await b24?.stop(); await stopWorkers(); await core.close(); },
  };
});
