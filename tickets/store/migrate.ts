import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Applies the SQL files in migrations/ in name order, each once, in one transaction. An
 * advisory lock keeps two processes starting together from applying the same file twice.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(4242001)');
    await tx.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const f of files.filter((name) => !done.has(name))) {
      for (const statement of splitStatements(fs.readFileSync(dir + f, 'utf8'))) await tx.query(statement);
      await tx.query('insert into schema_migrations(name) values ($1)', [f]);
      applied.push(f);
    }
    return applied;
  });
}

// node-postgres with parameters and PGlite's query() take one statement at a time. Our
// migrations keep statements on `;` line ends and never put `;` inside strings.
function splitStatements(sql: string): string[] {
  return sql.replace(/--.*$/gm, '').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
