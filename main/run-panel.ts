import type { Config } from '../config/load-config.js';
import { PANEL_EFFECTS_EVENT } from '../bot/handle-bot-event.js';
import { ensurePortalBuild } from '../portal/build-portal.js';
import { panelApp } from '../portal/panel/panel-app.js';
import type { PanelActionDeps } from '../portal/panel/panel-actions.js';
import { TicketFeed } from '../portal/panel/ticket-feed.js';
import { DURABLE_JOB, sendMailJobId } from '../workers/jobs.js';
import type { Bitrix24Runtime } from './run-bitrix24.js';
import type { CoreServices } from './services.js';
import type { Db } from '../tickets/store/db.js';
import type { Logger } from './logger.js';
import { Queue } from 'bullmq';
import fs from 'node:fs';
import { loadPinnedMember, loadTokens } from '../connectors/bitrix24/oauth-store.js';
import { verifyAppPage, type InstalledApp } from '../connectors/bitrix24/verify-app-page.js';
import type { SystemSources } from '../portal/panel/admin/system-state.js';
import { REPORTS_QUEUE } from '../reports/report-jobs.js';
import { QUEUES } from '../workers/jobs.js';

/**
 * The operator panel for a process's HTTP server. Its actions' bot effects (card edits) go to
 * the bot through the Bitrix24 events queue, which the bot consumes in order with the clicks.
 */
export async function runPanel(config: Config, core: CoreServices, log: Logger, b24: Pick<Bitrix24Runtime, 'eventsQueue'> | null) {
  const assetsDir = await ensurePortalBuild((msg) => log.info(msg));
  const feed = await TicketFeed.start(core.db);
  const actions: PanelActionDeps = {
    db: core.db, blobs: core.blobs, log, now: () => new Date(),
    settings: {
      language: config.defaultLanguage, messageIdDomain: config.mail.messageIdDomain, timeZone: config.timeZone, publicUrl: config.publicUrl,
      // The escalation task's auditor, so its comments reach us; in OAuth mode the installing user is known to the worker only.
      webhookUserId: config.bitrix24.mode === 'webhook' ? config.bitrix24.webhookUserId : null,
    },
    queueMail: async (ids) => { await core.queues.mailOut.add('send', { messageRowIds: ids }, { ...DURABLE_JOB, jobId: sendMailJobId(ids) }); },
    ...(b24 ? {
      handOver: async (key: string) => {
        await b24.eventsQueue.add(PANEL_EFFECTS_EVENT, { source: 'panel', type: PANEL_EFFECTS_EVENT, data: { key }, receivedAt: new Date().toISOString() },
          { ...DURABLE_JOB, jobId: key });
      },
    } : {}),
  };
  const system = systemSources(config, core);
  const c = config.bitrix24;
  const appPage = c.mode === 'oauth' ? {
    portalOrigin: c.portalUrl,
    verify: async (form: Record<string, unknown>) => verifyAppPage(form, { portalUrl: c.portalUrl, clientId: c.clientId }, await installedApp(core.db),
      { caPem: c.caFile ? fs.readFileSync(c.caFile, 'utf8') : undefined }),
  } : undefined;
  const router = panelApp({
    db: core.db, log, actions, feed, assetsDir, linkSecret: config.panel.linkSecret, sessionMs: config.panel.sessionMs,
    rights: { admins: config.panel.admins, restrictToDepartment: config.panel.restrictToDepartment }, system, appPage,
  });
  if (!config.panel.linkSecret) log.warn('operator panel: no PANEL_LINK_SECRET (nor B24_BOT_TOKEN / B24_CLIENT_SECRET): nobody can sign in by link');
  return { router, stop: async () => { await feed.stop(); await Promise.all(system.queues.map((q) => q.close())); } };
}

/** What the administration pages show of this installation: no password, token or webhook secret leaves here. */
function systemSources(config: Config, core: CoreServices): SystemSources {
  const b24 = config.bitrix24;
  const connection = core.redis;
  return {
    mailboxes: (config.mail.mailboxes ?? []).map((m) => ({ name: m.name, host: m.host, port: m.port, user: m.user, folder: m.folder })),
    bitrix24: {
      mode: b24.mode, portalHost: b24.mode === 'off' ? null : b24.portalHost,
      // OAuth: installed and not uninstalled (tokens kept); a webhook is connected by its setting.
      connected: async () => (b24.mode === 'oauth' ? (await loadTokens(core.db)) !== null : b24.mode === 'webhook'),
    },
    queues: [...Object.values(QUEUES), REPORTS_QUEUE].map((name) => new Queue(name, { connection, prefix: config.redis.queuePrefix })),
    checks: core.checks,
  };
}

/** The pinned member_id and the current install's application token; null while not installed. */
async function installedApp(db: Db): Promise<InstalledApp | null> {
  const [memberId, tokens] = await Promise.all([loadPinnedMember(db), loadTokens(db)]);
  return memberId && tokens?.applicationToken ? { memberId, applicationToken: tokens.applicationToken } : null;
}
