// Job processors (ingest, outbound mail, maintenance). Run as many as you like on the same
// Redis and database.
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runWorkers } from './run-worker.js';

await runProcess('worker', (c) => c.http.healthPort, async (config, log) => {
  const core = await openCoreServices(config);
  const stopWorkers = await runWorkers(config, core, log);
  return { checks: core.checks, stop: async () => { await stopWorkers(); await core.close(); } };
});
