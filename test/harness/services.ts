import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../../main/local-redis.js';
import { startPostgres, type LocalPostgres } from './postgres.js';
import { startDovecot, type LocalDovecot } from './dovecot.js';

/**
 * Starts the real services every suite shares, unless their URLs are given: redis-server,
 * PostgreSQL and Dovecot, on loopback. A service that fails to start fails the run.
 */
export async function startSharedServices(): Promise<void> {
  const started: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
  const g = globalThis as { __modestServices?: typeof started };
  g.__modestServices = started;
  const [redis, postgres, dovecot] = await Promise.all([
    process.env.TEST_REDIS_URL ? undefined : startLocalRedis(fs.mkdtempSync(path.join(os.tmpdir(), 'modest-redis-'))),
    process.env.TEST_DATABASE_URL ? undefined : startPostgres(),
    process.env.TEST_IMAP_PORT ? undefined : startDovecot(),
  ]) as [LocalRedis | undefined, LocalPostgres | undefined, LocalDovecot | undefined];
  if (redis) { started.push(redis); process.env.TEST_REDIS_URL = redis.url; }
  if (postgres) { started.push(postgres); process.env.TEST_DATABASE_URL = postgres.url; }
  if (dovecot) {
    started.push(dovecot);
    process.env.TEST_IMAP_HOST = dovecot.host;
    process.env.TEST_IMAP_PORT = String(dovecot.port);
  }
}
export async function stopSharedServices(): Promise<void> {
  const g = globalThis as { __modestServices?: Array<{ stop?(): Promise<void>; close?(): Promise<void> }> };
  await Promise.all((g.__modestServices ?? []).map((s) => (s.close ? s.close() : s.stop!())));
}
