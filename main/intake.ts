// Mail intake: reads the IMAP mailboxes (and the drop folder) and queues each mail for the
// workers. One is enough; a second one is harmless (every mail is deduplicated) but redundant.
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runIntake } from './run-intake.js';

await runProcess('intake', (c) => c.http.healthPort, async (config, log) => {
  const core = await openCoreServices(config, log);
  const intake = await runIntake(config, core, log);
  return {
    checks: { ...core.checks, mailboxes: intake.check },
    stop: async () => { await intake.stop(); await core.close(); },
  };
});
