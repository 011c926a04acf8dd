import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { randomToken } from './auth/oauth-tokens.js';
import { createWebhook } from './auth/credentials.js';
import { PushDelivery } from './events/push-delivery.js';
import { seededRandom, type PortalConfig, type PortalContext } from './portal-context.js';
import { createPortalState } from './portal-state.js';
import { FaultInjector } from './rest/fault-injector.js';
import type { MethodOverride } from './rest/invoke-method.js';
import { LeakyBucket, type RateLimitOptions } from './rest/leaky-bucket.js';
import { createOAuthTokenHandler } from './rest/oauth-token-handler.js';
import { RequestLog } from './rest/request-log.js';
import { createRestHandler } from './rest/rest-handler.js';
import { SandboxControl } from './sandbox-control.js';
import { seedSampleData } from './seed-sample-data.js';
import { makeTlsCertificate } from './tls-certificate.js';
import { PortalStore } from './portal-store.js';
import { createTestApi } from './web/test-api.js';
import { finishRoutes } from '../main/http-errors.js';

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: the kernel picks a free port. */
  port?: number;
  /** Load the sample staff and departments (default true). */
  seed?: boolean;
  /** The portal's leaky bucket; default 2/s drain, 50 burst (reference §7). `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** OAuth access-token lifetime, default 3600 s. */
  accessTokenTtlSec?: number;
  /** Portal language in events, default "ru". */
  language?: string;
  /** Portal time zone for dates, minutes east of UTC; default 180 (+03:00). */
  tzOffsetMinutes?: number;
  /** How long unacknowledged events are kept, default 24 h. */
  eventRetentionMs?: number;
  /** How long a push waits for the handler, default 10 s. */
  pushTimeoutMs?: number;
  /** Seed for fault injection's random choices, for repeatable runs. */
  randomSeed?: number;
  /** The portal clock, for fake time in tests. */
  now?: () => number;
  /**
   * Keep the portal in this file (users, chats, messages, tasks, bots, event queues, webhooks,
   * apps and tokens), loaded at start and written after changes, so a restart comes back as it
   * was. Without it the portal lives in memory only. A new file is seeded as usual.
   */
  stateFile?: string;
}

/** A running stand-in portal: its URLs and certificate, plus every control of {@link SandboxControl}. */
export class Sandbox extends SandboxControl {
  constructor(
    parts: ConstructorParameters<typeof SandboxControl>,
    readonly caCertPem: string,
    private readonly server: https.Server,
    private readonly store: PortalStore | null = null,
  ) {
    super(...parts);
  }

  /** `https://127.0.0.1:PORT` */
  get baseUrl(): string {
    return this.portal.config.baseUrl;
  }

  /** `127.0.0.1:PORT`, the portal's domain as Bitrix24 names it in events. */
  get domain(): string {
    return this.portal.config.domain;
  }

  /** The messenger page. */
  get messengerUrl(): string {
    return `${this.baseUrl}/sandbox/`;
  }

  close(): Promise<void> {
    this.store?.flush();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? (() => Date.now());
  const random = opts.randomSeed === undefined ? Math.random : seededRandom(opts.randomSeed);
  const config: PortalConfig = {
    baseUrl: '', domain: '', memberId: randomToken(16), language: opts.language ?? 'ru',
    tzOffsetMinutes: opts.tzOffsetMinutes ?? 180, accessTokenTtlSec: opts.accessTokenTtlSec ?? 3600,
    eventRetentionMs: opts.eventRetentionMs ?? 86_400_000,
  };
  const portal: PortalContext = {
    state: createPortalState(), config, now, random,
    pushes: new PushDelivery({ timeoutMs: opts.pushTimeoutMs ?? 10_000, random }),
  };
  const limits = opts.rateLimit === false ? null : opts.rateLimit ?? { drainPerSec: 2, burst: 50 };
  const parts: ConstructorParameters<typeof SandboxControl> = [
    portal, new RequestLog(), new FaultInjector(random, now), limits ? new LeakyBucket(limits, now) : null,
    new Map<string, MethodOverride>(),
  ];
  const tls = await makeTlsCertificate(host);
  const store = opts.stateFile ? new PortalStore(opts.stateFile, portal) : null;
  const app = express();
  // Anything but a page or a poll of the page may change the portal: write it down soon after.
  if (store) app.use((req, res, next) => { if (req.method !== 'GET' || !req.path.startsWith('/sandbox')) res.on('finish', () => store.schedule()); next(); });
  buildApp(app, parts, tls.certPem);
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  config.domain = `${host}:${port}`;
  config.baseUrl = `https://${config.domain}`;
  if (!store?.load()) {
    if (opts.seed ?? true) seedSampleData(portal);
    createWebhook(portal, 1);
    store?.flush();
  }
  return new Sandbox(parts, tls.certPem, server, store);
}

function buildApp(app: express.Express, parts: ConstructorParameters<typeof SandboxControl>, certPem: string): express.Express {
  const [portal, log, faults, bucket, overrides] = parts;
  const control = new SandboxControl(...parts);
  app.disable('x-powered-by');
  app.set('etag', false);
  // bodies are read raw: JSON and PHP-style forms are parsed per REST version (reference §9)
  const raw = express.text({ type: () => true, limit: '200mb' });
  app.use('/rest', raw, createRestHandler({ portal, bucket, faults, log, overrides }));
  app.use('/oauth/token', raw, createOAuthTokenHandler(portal, log));
  app.use('/sandbox/api', createTestApi(control, certPem));
  app.use('/sandbox', express.static(fileURLToPath(new URL('./web/static/', import.meta.url))));
  app.get('/', (_req, res) => res.redirect('/sandbox/'));
  // The same ending as our own servers: no stack trace or path in any answer.
  finishRoutes(app);
  return app;
}
