import type { Queue } from 'bullmq';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import { b24PushRouter } from '../connectors/bitrix24/push-route.js';
import { loadTokens, saveTokens, tokensFromInstall } from '../connectors/bitrix24/oauth-store.js';
import { DURABLE_JOB, type B24EventJob } from '../workers/jobs.js';

/**
 * The OAuth application's public routes: the install callback stores the tokens (a second
 * install is accepted only with the same application_token: a forged one cannot replace
 * them), and pushed events, once verified, become jobs on the same queue as pulled ones.
 */
export function pushRoutes(core: CoreServices, eventsQueue: Queue<B24EventJob>, log: Logger) {
  return b24PushRouter({
    log,
    expectedToken: async () => (await loadTokens(core.db))?.applicationToken ?? null,
    install: async (auth) => {
      const current = await loadTokens(core.db);
      if (current && current.applicationToken !== auth.application_token) return false;
      await saveTokens(core.db, tokensFromInstall(auth));
      return true;
    },
    accept: async (e) => {
      await eventsQueue.add(e.type, { source: 'push', type: e.type, data: e.data, receivedAt: new Date().toISOString() },
        { ...DURABLE_JOB, jobId: `b24push-${e.digest}` });
    },
  });
}
