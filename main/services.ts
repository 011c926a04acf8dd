import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { BlobStore } from '../connectors/mail/blob-store.js';
import { createQueues, type Queues } from '../workers/queues.js';
import { makeCheckStuckMail } from '../workers/check-stuck-mail.js';
import type { ReadinessCheck } from './health-server.js';
import { ScheduleKeeper } from '../workers/schedule-keeper.js';
import { RedisEpoch } from '../workers/redis-epoch.js';
import { createLogger, type Logger } from './logger.js';

/** What every process shares: the database (migrated), Redis, the queues and the blob store. */
export interface CoreServices {
  db: Db;
  redis: Redis;
  queues: Queues;
  blobs: BlobStore;
  /** The job schedulers this process owns: put back when Redis lost them; readiness watches them. */
  schedules: ScheduleKeeper;
  /** Tells when Redis came back empty, so what this process queued can be handed over again. */
  redisEpoch: RedisEpoch;
  checks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

export async function openCoreServices(config: Config, log: Logger = createLogger('silent', 'core')): Promise<CoreServices> {
  const db = await openDb({ databaseUrl: config.database.url, pgliteDir: config.database.pgliteDir, poolSize: config.database.poolSize });
  await migrate(db);
  // BullMQ needs maxRetriesPerRequest: null: a Redis blip then waits instead of failing jobs.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  redis.on('error', () => { /* reconnects by itself; readiness reports it */ });
  const queues = createQueues(redis, config.redis.queuePrefix);
  const schedules = new ScheduleKeeper(redis, config.redis.queuePrefix, config.scheduleCheckMs, log);
  schedules.start();
  const redisEpoch = new RedisEpoch(redis, `${config.redis.queuePrefix}:epoch`, config.scheduleCheckMs, log);
  redisEpoch.onEmptied(() => { void schedules.ensureAll(); });
  redisEpoch.start();
  return {
    db, redis, queues, schedules, redisEpoch,
    blobs: new BlobStore(path.join(config.dataDir, 'blobs')),
    checks: {
      database: async () => { await db.query('select 1'); return { ok: true, detail: db.kind }; },
      redis: async () => ({ ok: (await redis.ping()) === 'PONG' }),
      // Mail stuck before its commit, or kept unparsed because the store refused it, by name.
      mail: makeCheckStuckMail(db, queues),
      schedules: () => schedules.status(),
    },
    close: async () => {
      schedules.stop();
      redisEpoch.stop();
      await queues.close();
      redis.disconnect();
      await db.close();
    },
  };
}
