import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../../tickets/store/db.js';
import { migrate, MigrationChangedError } from '../../tickets/store/migrate.js';
import { createDatabase } from '../harness/postgres.js';
import { freshPgliteDir } from '../harness/pglite-template.js';

const migrationsDir = fileURLToPath(new URL('../../tickets/store/migrations/', import.meta.url));
const engines = ['pglite', 'postgres'] as const;

// What a release before checksums did: the file's statements, and its name recorded.
async function applyAsFirstRelease(db: Db, sql: string): Promise<void> {
  await db.query('create table schema_migrations (name text primary key, applied_at timestamptz not null default now())');
  for (const statement of sql.replace(/--.*$/gm, '').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await db.query(statement);
  await db.query(`insert into schema_migrations(name) values ('001-initial.sql')`);
}

// 001 as it stands: with the claim columns and index in place (007 adds them only where missing).
function landed001(): string {
  return fs.readFileSync(path.join(migrationsDir, '001-initial.sql'), 'utf8');
}

// 001 as first released (and as another release had it again): without the send claim, which 007 adds.
function firstReleased001(): string {
  const text = landed001().replace(CLAIM_COLUMNS, '')
    .replace("create index messages_pending_ack on messages(in_reply_to) where send_state = 'pending';\n", '');
  expect(text).not.toContain('send_claimed');
  return text;
}
const CLAIM_COLUMNS = '  send_claimed_by text,                   -- the send job on it: its rerun may take it back, others wait\n'
  + '  send_claimed_at timestamptz,            -- for the claim to go stale (a sender that crashed)\n';

async function messageColumns(db: Db): Promise<string[]> {
  return (await db.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = 'messages' order by column_name`)).map((r) => r.column_name);
}

describe.each(engines)('migrations on %s', (engine) => {
  const opened: Db[] = [];
  async function freshDb(): Promise<Db> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-migrate-'));
    const db = await openDb({
      databaseUrl: engine === 'postgres' ? await createDatabase(process.env.TEST_DATABASE_URL!) : undefined,
      pgliteDir: freshPgliteDir(path.join(dir, 'pglite')),
    });
    opened.push(db);
    return db;
  }
  afterAll(async () => { await Promise.all(opened.map((db) => db.close())); });

  test('a database created with the first released schema is brought up to today', async () => {
    const db = await freshDb();
    await applyAsFirstRelease(db, firstReleased001());
    expect(await messageColumns(db)).not.toContain('send_claimed_by');
    const applied = await migrate(db);
    expect(applied[0]).toBe('002-reports.sql');
    expect(applied).toContain('007-send-claims.sql');
    expect(await messageColumns(db)).toEqual(expect.arrayContaining(['send_claimed_by', 'send_claimed_at', 'raw_ref']));
    const fresh = await freshDb();
    await migrate(fresh);
    expect(await messageColumns(db)).toEqual(await messageColumns(fresh));
    expect(await migrate(db)).toEqual([]);
  });

  test('a database created from the edited 001 (claim columns already there) migrates too', async () => {
    const db = await freshDb();
    await applyAsFirstRelease(db, landed001());
    expect(await messageColumns(db)).toContain('send_claimed_by');
    await expect(migrate(db)).resolves.toContain('007-send-claims.sql');
  });

  test('a database that recorded the text 001 had in another release is accepted, not refused', async () => {
    const db = await freshDb();
    await migrate(db);
    // The text 001 had in another release: without the claim lines.
    const edited = crypto.createHash('sha256').update(firstReleased001()).digest('hex');
    await db.query(`update schema_migrations set checksum = $1 where name = '001-initial.sql'`, [edited]);
    await expect(migrate(db)).resolves.toEqual([]);
  });

  test('an applied migration whose file changed stops the start with a message naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-migrations-')) + '/';
    for (const f of fs.readdirSync(migrationsDir)) fs.copyFileSync(path.join(migrationsDir, f), dir + f);
    const db = await freshDb();
    await migrate(db, dir);
    fs.appendFileSync(dir + '003-bitrix24.sql', '\ncreate table sneaky (id int);\n');
    fs.writeFileSync(dir + '999-next.sql', 'create table next_one (id int);\n');
    const err = await migrate(db, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationChangedError);
    expect((err as Error).message).toMatch(/003-bitrix24\.sql changed/);
    // Nothing was applied: the next migration waits until the edited one is restored.
    expect(await db.query(`select 1 from information_schema.tables where table_name in ('sneaky', 'next_one')`)).toEqual([]);
  });
});
