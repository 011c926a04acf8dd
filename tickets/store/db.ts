import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/** The one thing the store needs from a database: parameterised SQL returning rows. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Db extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Calls `onPayload` for each NOTIFY on `channel` (any process's); resolves to the unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Opens the pool's connections and readies each for the busy tables (call once the schema is migrated). */
  warm(): Promise<void>;
}

/**
 * Planning a statement that reads every table mail is written to loads each table's and each
 * of its indexes' descriptions into the connection (tickets alone has about thirty): a fresh
 * connection's first ingest transaction cost PostgreSQL 15-20 ms more CPU than later ones,
 * about 5 ms more with this done first.
 */
const WARM_UP_SQL = `explain select * from tickets t join messages m on m.ticket_id = t.id join mail_receipts r on r.message_row_id = m.id
  join audit_log a on a.ticket_id = t.id join auto_mail_sends s on s.message_row_id = m.id where t.id = 0`;

/**
 * LISTEN on a connection of its own (a pooled one would lose it), reconnecting after a drop:
 * notifications sent while it is down are lost, so pages also refresh when they reconnect.
 */
async function listenPostgres(url: string, channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => { if (n.channel === channel) onPayload(n.payload ?? ''); });
    c.on('error', () => { /* 'end' follows */ });
    c.on('end', () => { if (!stopped) setTimeout(() => { connect().catch(() => c.emit('end')); }, 1000).unref(); });
    await c.connect();
    await c.query(`listen ${channel}`);
    client = c;
  };
  await connect();
  return async () => { stopped = true; await client?.end().catch(() => {}); };
}

// bigint and numeric come back as strings from node-postgres; ids fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

function openPostgres(url: string, poolSize: number): Db {
  // A new connection plans its first queries on tickets (twenty-odd indexes) several times
  // slower while its caches fill: idle connections stay five minutes, not node-postgres's 10 s,
  // so a page opened after a pause does not pay for that. Idle ones never hold a stopping process open.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 300_000, allowExitOnIdle: true });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  return {
    kind: 'postgres',
    async query(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    listen: (channel, onPayload) => listenPostgres(url, channel, onPayload),
    warm: async () => {
      const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
      try {
        await Promise.all(clients.map((c) => c.query(WARM_UP_SQL)));
      } finally {
        clients.forEach((c) => c.release());
      }
    },
  };
}

async function openPglite(dir: string): Promise<Db> {
  // PGlite creates only the last level of its folder.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const db = await PGlite.create(dir);
  // PGlite returns int8 as bigint; the store speaks plain numbers on both engines.
  const query = async <R>(q: { query: PGlite['query'] }, text: string, params?: unknown[]) =>
    (await q.query<R>(text, params, { parsers: { 20: (v: string) => Number(v) } })).rows;
  return {
    kind: 'pglite',
    query: (text, params) => query(db, text, params),
    transaction: (fn) => db.transaction((t) => fn({ query: (text, params) => query(t as never, text, params) })),
    close: () => db.close(),
    listen: async (channel, onPayload) => db.listen(channel, onPayload),
    warm: async () => { /* one connection, in this process */ },
  };
}

/** PostgreSQL when a URL is given, otherwise embedded PGlite in `pgliteDir`. */
export async function openDb(opts: { databaseUrl?: string; pgliteDir: string; poolSize?: number }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts.pgliteDir);
}
