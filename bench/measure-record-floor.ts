// The ingest benchmark's record floor, run as its own process: the ceiling's fetch (imapflow, in
// batches) with the intake's own parse (its ParsePool, raw copy and attachment files included),
// and each batch recorded in PostgreSQL as the workers record it (recordInboundMails: tickets,
// messages, receipts, acknowledgements written, search vectors), inline in this one process.
// Nothing else: no hand-over through Redis, no worker process, no mailbox marked, no mail sent.
// It is about the most a pipeline can do here that commits every mail's ticket before the clock
// stops, as bench:ingest's does. Recording batch k overlaps fetching and parsing batch k+1.
// Settings come from the environment, the pipeline's (DATABASE_URL, DATA_DIR, MAIL_FROM...).
// The database is migrated and its connections opened before the clock, which starts once the
// mailbox is open and stops at the last commit.
// Input: argv[2] = JSON {host, port, user, pass, folder, batch, threads}.
// Output: one JSON line, {messages, seconds, cpuSeconds} (cpuSeconds: this process, in the window).
import path from 'node:path';
import { openDb } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { recordInboundMails } from '../tickets/record-inbound-mails.js';
import { cleanInboundMail } from '../tickets/clean-inbound-mail.js';
import { ParsePool } from '../connectors/mail/parse-pool.js';
import { RawArchive } from '../connectors/mail/raw-archive.js';
import { recordInboundOptions } from '../main/run-worker.js';
import { createLogger } from '../main/logger.js';
import { loadConfig } from '../config/load-config.js';
import { eachBatch, openMailbox } from './fetch-batches.js';

interface Args { host: string; port: number; user: string; pass: string; folder: string; batch: number; threads: number }

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as Args;
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.database.url, pgliteDir: config.database.pgliteDir, poolSize: config.database.poolSize });
  await migrate(db);
  await db.warm();
  const archive = new RawArchive(path.join(config.dataDir, 'raw'));
  const parsers = await ParsePool.start({ threads: a.threads, blobRoot: path.join(config.dataDir, 'blobs'), maxAttachmentBytes: config.mail.maxAttachmentBytes },
    archive, createLogger('warn', 'record-floor'));
  const options = recordInboundOptions(config);
  const client = await openMailbox(a, a.folder);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let messages = 0;
  let recording: Promise<unknown> = Promise.resolve();
  await eachBatch(client, a.batch, async (sources) => {
    const mails = await Promise.all(sources.map((raw) => parsers.keepAndParse(raw)));
    const items = mails.map((mail) => ({ mail: cleanInboundMail(mail), source: { key: `floor:${++messages}`, mailbox: 'floor' } }));
    await recording;
    recording = recordInboundMails(db, items, { ...options, now: new Date() });
  });
  await recording;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await client.logout();
  await parsers.close();
  await archive.close();
  await db.close();
  process.stdout.write(`${JSON.stringify({ messages, seconds, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
}

await main();
