import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { CoreServices } from './services.js';
import type { ReadinessCheck } from './health-server.js';
import { ImapMailbox } from '../connectors/mail/imap-mailbox.js';
import { DropFolder } from '../connectors/mail/drop-folder.js';
import { ParsePool } from '../connectors/mail/parse-pool.js';
import { RawArchive } from '../connectors/mail/raw-archive.js';
import type { MailSourceDeps, MailSourceHealth } from '../connectors/mail/mail-source.js';
import { listUnmarkedReceipts, markReceipts } from '../tickets/store/receipt-repo.js';
import { makeAcceptRawMail } from '../workers/accept-raw-mail.js';
import { makeBacklogAnnouncer } from '../workers/intake-backlog.js';

export interface Intake {
  /** Where this intake appends the raw sources of the mail it takes. */
  rawMail: RawArchive;
  health(): MailSourceHealth[];
  /** Readiness: every mailbox connected. */
  check: ReadinessCheck;
  stop(): Promise<void>;
}

/**
 * Parser threads, unless configured: one per core but one, at most four. The database, the
 * workers and Redis usually share the machine, and the intake's own thread fetches and hands
 * out: on two cores one parser thread carried bench:ingest's pipeline 10-15% faster than two
 * (each thread is a V8 of its own, compiling and collecting garbage apart, and the rest of the
 * pipeline had the core they took). More than four only add memory.
 */
const MAX_PARSE_THREADS = 4;

/** How many parser threads the intake runs (bench:ingest measures its ceiling with as many, and with one per core). */
export function parseThreadCount(configured?: number): number {
  return configured ?? Math.max(1, Math.min(MAX_PARSE_THREADS, os.availableParallelism() - 1));
}

/** Starts one reader per configured mailbox (and the drop folder, if set), and the parser threads. */
export async function runIntake(config: Config, core: CoreServices, log: Logger): Promise<Intake> {
  // Only the intake appends raw sources; readers open the archive by its folder.
  const rawMail = new RawArchive(path.join(config.dataDir, 'raw'));
  // The parser threads load their modules before any mailbox is read.
  const parsers = await ParsePool.start({
    threads: parseThreadCount(config.mail.parseThreads), blobRoot: core.blobs.root, maxAttachmentBytes: config.mail.maxAttachmentBytes,
  }, rawMail, log);
  const deps: MailSourceDeps = {
    accept: makeAcceptRawMail((raw) => parsers.keepAndParse(raw), core.queues),
    committedUnmarked: (mailbox) => listUnmarkedReceipts(core.db, mailbox),
    marked: (keys) => markReceipts(core.db, keys, new Date()),
    backlog: makeBacklogAnnouncer(core.redis, config.redis.queuePrefix),
  };
  const mailboxes = config.mail.mailboxes.map((box) => new ImapMailbox(box,
    { pollIntervalMs: config.mail.pollIntervalMs, processedKeyword: config.mail.processedKeyword, fetchBatch: config.mail.fetchBatch }, deps, log));
  mailboxes.forEach((m) => m.start());
  const sources: Array<ImapMailbox | DropFolder> = [...mailboxes];
  if (config.mail.dropDir) {
    const drop = new DropFolder(config.mail.dropDir, 1000, deps, log);
    await drop.start();
    sources.push(drop);
  }
  // Mail handed to a queue that Redis then lost would wait for a restart: take it again.
  core.redisEpoch.onEmptied(() => sources.forEach((s) => s.forgetHandedOver()));
  log.info({ mailboxes: config.mail.mailboxes.map((m) => m.name), dropDir: config.mail.dropDir }, 'intake started');
  return {
    rawMail,
    health: () => sources.map((s) => s.health()),
    check: async () => {
      const boxes = sources.map((s) => s.health());
      return { ok: boxes.every((b) => b.state === 'connected'), detail: boxes };
    },
    stop: async () => {
      await Promise.all(sources.map((s) => s.stop()));
      await parsers.close();
      await rawMail.close();
    },
  };
}
