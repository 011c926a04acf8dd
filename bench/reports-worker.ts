// A worker process for the reports benchmark: the reports queue on the app's settings, as a
// worker process will run it once main/run-worker.ts starts it. argv[2]: jobs at once.
import { runProcess } from '../main/run-process.js';
import { openCoreServices } from '../main/services.js';
import { loadReportFonts } from '../reports/load-report-fonts.js';
import { startReportWorkers } from '../reports/start-report-workers.js';

const concurrency = Number(process.argv[2] ?? 2);

await runProcess('report-worker', (c) => c.http.healthPort, async (config, log) => {
  const core = await openCoreServices(config);
  // Parsed before the process reports ready: a missing font fails the start, not the first report.
  const fonts = loadReportFonts();
  const reports = await startReportWorkers({
    connection: core.redis, prefix: config.redis.queuePrefix, db: core.db, blobs: core.blobs, companyName: config.companyName,
    fonts, concurrency, lockMs: config.jobLockMs, log,
  });
  return { checks: core.checks, stop: async () => { await reports.stop(); await core.close(); } };
});
