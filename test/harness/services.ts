import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../../main/local-redis.js';
import { startPostgres, type LocalPostgres } from './postgres.js';
import { startDovecot, type LocalDovecot } from './dovecot.js';
import { ensureDebianPackages } from '../../main/ensure-debian-packages.js';
import { makePgliteTemplate } from './pglite-template.js';

/**
 * Starts the real services every suite shares, unless their URLs are given: redis-server,
 * PostgreSQL and Dovecot, on loopback. A service that fails to start fails the run.
 */
export async function startSharedServices(): Promise<void> {
  const started: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
  const g = globalThis as { __modestServices?: typeof started; __modestTmp?: string };
  g.__modestServices = started;
  // Pages are tested in Chromium and PDFs read with poppler (DESIGN.md "Real parts"); the
  // services below install their own packages.
  ensureDebianPackages([
    { file: '/usr/bin/chromium', pkg: 'chromium' },
    { file: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
    { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', pkg: 'fonts-dejavu-core' },
  ]);
  // Every temp folder of this run (services' and tests') goes under one, removed at the end.
  // 0755: the postgres user must reach its data folder inside.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-test-run-'));
  fs.chmodSync(runDir, 0o755);
  process.env.TMPDIR = runDir;
  g.__modestTmp = runDir;
  const [redis, postgres, dovecot] = await Promise.all([
    process.env.TEST_REDIS_URL ? undefined : startLocalRedis(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-redis-'))),
    process.env.TEST_DATABASE_URL ? undefined : startPostgres(),
    process.env.TEST_IMAP_PORT ? undefined : startDovecot(),
    makePgliteTemplate(path.join(runDir, 'pglite-template')),
  ]) as [LocalRedis | undefined, LocalPostgres | undefined, LocalDovecot | undefined, void];
  if (redis) { started.push(redis); process.env.TEST_REDIS_URL = redis.url; }
  if (postgres) { started.push(postgres); process.env.TEST_DATABASE_URL = postgres.url; }
  if (dovecot) {
    started.push(dovecot);
    process.env.TEST_IMAP_HOST = dovecot.host;
    process.env.TEST_IMAP_PORT = String(dovecot.port);
  }
}
export async function stopSharedServices(): Promise<void> {
  const g = globalThis as { __modestServices?: Array<{ stop?(): Promise<void>; close?(): Promise<void> }>; __modestTmp?: string };
  await Promise.all((g.__modestServices ?? []).map((s) => (s.close ? s.close() : s.stop!())));
  if (g.__modestTmp) fs.rmSync(g.__modestTmp, { recursive: true, force: true, maxRetries: 10 });
}
