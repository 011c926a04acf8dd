import fs from 'node:fs';
import type { Queue } from 'bullmq';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import { b24PushRouter } from '../connectors/bitrix24/push-route.js';
import { forgetTokens, loadPinnedMember, loadTokens, pinMember, saveTokens } from '../connectors/bitrix24/oauth-store.js';
import { verifyInstall } from '../connectors/bitrix24/verify-install.js';
import type { B24EventJob } from '../workers/jobs.js';
import { recordEvents } from '../tickets/store/event-inbox-repo.js';
import { queueEvents, toInboxEvent } from '../workers/b24-event-inbox.js';

type OAuthSettings = Extract<Config['bitrix24'], { mode: 'oauth' }>;

/**
 * The OAuth application's public routes. An install is believed only once the configured
 * portal accepts its access token as our client_id's (then member_id is pinned and every
 * later install must carry it); ONAPPUNINSTALL with the stored application_token forgets the
 * tokens, which stops every outbound call and, within a poll, the bot. Pushed events, once
 * verified, become jobs on the same queue as pulled ones.
 */
export function pushRoutes(core: CoreServices, eventsQueue: Queue<B24EventJob>, log: Logger, c: OAuthSettings) {
  const app = { clientId: c.clientId, clientSecret: c.clientSecret, portalUrl: c.portalUrl, oauthServerUrl: c.oauthServerUrl };
  const caPem = c.caFile ? fs.readFileSync(c.caFile, 'utf8') : undefined;
  return b24PushRouter({
    log,
    portal: { host: c.portalHost, restUrl: `${c.portalUrl}/rest/` },
    expectedToken: async () => (await loadTokens(core.db))?.applicationToken ?? null,
    install: async (auth) => {
      const verdict = await verifyInstall(auth, app, await loadPinnedMember(core.db), { caPem });
      if (!verdict.ok) return verdict;
      await saveTokens(core.db, verdict.tokens);
      await pinMember(core.db, verdict.tokens.memberId);
      log.info({ portal: c.portalHost, userId: verdict.tokens.userId }, 'bitrix24 application installed (verified with the portal)');
      return { ok: true };
    },
    uninstall: async () => {
      await forgetTokens(core.db);
      log.warn({ portal: c.portalHost }, 'bitrix24 application uninstalled: tokens forgotten, no more calls to the portal; the bot stops');
    },
    // Kept in the database before the portal gets its 200: a Redis that comes back empty loses no click.
    accept: async (e) => {
      const event = toInboxEvent(`b24push-${e.digest}`, { source: 'push', type: e.type, data: e.data, receivedAt: new Date().toISOString() });
      await recordEvents(core.db, [event]);
      await queueEvents(eventsQueue, [event]);
    },
  });
}
