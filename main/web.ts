// The web process: Bitrix24's install callback and pushed events (OAuth mode), health, and
// the client cabinet (portal/). Stateless: run several behind a load balancer if needed.
import express from 'express';
import { runProcess } from './run-process.js';
import { openCoreServices } from './services.js';
import { runBitrix24 } from './run-bitrix24.js';
import { pushRoutes } from './run-push-route.js';
import { runCabinet } from './run-cabinet.js';
import { runPanel } from './run-panel.js';

await runProcess('web', (c) => c.http.port, async (config, log) => {
  const core = await openCoreServices(config);
  const b24 = await runBitrix24(config, core, log, { processCalls: false, runBot: false });
  const app = express();
  if (b24 && config.bitrix24.mode === 'oauth') app.use(pushRoutes(core, b24.eventsQueue, log, config.bitrix24));
  const cabinet = await runCabinet(config, core, log);
  const panel = await runPanel(config, core, log, b24);
  app.use(panel.router);
  app.use(cabinet.router);
  return {
    app, checks: { ...core.checks, ...(b24 ? { bitrix24: b24.check } : {}) },
    stop: async () => { await b24?.stop(); await cabinet.stop(); await panel.stop(); await core.close(); },
  };
});
