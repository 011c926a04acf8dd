import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Sql } from './db.js';

const defaultDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** A landed migration file was edited: the database and the code no longer agree on the schema. */
export class MigrationChangedError extends Error {
  readonly code = 'store.migration_changed';
  constructor(readonly names: string[]) {
    super(`migration file(s) ${names.join(', ')} changed after they were applied to this database; ` +
      'a landed migration never changes: restore the file and put the change into a new numbered migration');
    this.name = 'MigrationChangedError';
  }
}

/**
 * Applies the SQL files in migrations/ in name order, each once, in one transaction, and
 * records each one's sha256. A file whose content differs from what was applied stops the
 * start (MigrationChangedError) before anything is applied. An advisory lock keeps two
 * processes starting together from applying the same file twice.
 */
export async function migrate(db: Db, dir = defaultDir): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
    .map((name) => {
      const sql = fs.readFileSync(dir + name, 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(4242001)');
    await tx.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    await tx.query('alter table schema_migrations add column if not exists checksum text');
    const applied = new Map((await tx.query<{ name: string; checksum: string | null }>('select name, checksum from schema_migrations'))
      .map((r) => [r.name, r.checksum]));
    await recordMissingChecksums(tx, files, applied);
    await acceptEarlierTexts(tx, files, applied);
    const changed = files.filter((f) => applied.has(f.name) && applied.get(f.name) !== f.checksum).map((f) => f.name);
    if (changed.length) throw new MigrationChangedError(changed);
    const done: string[] = [];
    for (const f of files.filter((file) => !applied.has(file.name))) {
      for (const statement of splitStatements(f.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations(name, checksum) values ($1, $2)', [f.name, f.checksum]);
      done.push(f.name);
    }
    return done;
  });
}

// Databases migrated before checksums were kept: what is on disk now is taken as what was
// applied (from here on, a file that differs from its recorded checksum stops the start).
async function recordMissingChecksums(tx: Sql, files: Array<{ name: string; checksum: string }>, applied: Map<string, string | null>) {
  for (const f of files) {
    if (!applied.has(f.name) || applied.get(f.name) !== null) continue;
    await tx.query('update schema_migrations set checksum = $2 where name = $1', [f.name, f.checksum]);
    applied.set(f.name, f.checksum);
  }
}

/**
 * Other texts these files had in a release (001 without the claim lines, which 007 adds when
 * missing, and comment wording in 007 and 010): the same schema. A database migrated with such
 * a text is recorded with the file's checksum instead of being refused.
 */
const EARLIER_TEXTS: Record<string, string[]> = {
  '001-initial.sql': ['4043f7196f0d0ea4037613838220eb10da2116ba8aeb2a04adc7f6bf8398b960'],
  '007-send-claims.sql': ['8559202134a734bdd7deee467e600bb017726e8e0df3400ffe5b6e59b1e94fbd'],
  '010-mail-intake-robustness.sql': ['93f5d8fa236805fdbc6cfaed2e8aadb36360d4773035b6393dea53d60499ac22'],
};

async function acceptEarlierTexts(tx: Sql, files: Array<{ name: string; checksum: string }>, applied: Map<string, string | null>) {
  for (const f of files) {
    const stored = applied.get(f.name);
    if (!stored || !EARLIER_TEXTS[f.name]?.includes(stored)) continue;
    await tx.query('update schema_migrations set checksum = $2 where name = $1', [f.name, f.checksum]);
    applied.set(f.name, f.checksum);
  }
}

// node-postgres with parameters and PGlite's query() take one statement at a time. Our
// migrations keep statements on `;` line ends and never put `;` inside strings.
function splitStatements(sql: string): string[] {
  return sql.replace(/--.*$/gm, '').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
