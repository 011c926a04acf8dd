import type { Sql } from './db.js';

/** Durable key/value state of a connector (event cursor, tokens). */
export async function getState<T>(sql: Sql, key: string): Promise<T | null> {
  const [row] = await sql.query<{ value: T }>('select value from connector_state where key = $1', [key]);
  return row ? row.value : null;
}

export async function setState(sql: Sql, key: string, value: unknown): Promise<void> {
  await sql.query(
    `insert into connector_state (key, value, updated_at) values ($1, $2, now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`, [key, JSON.stringify(value)]);
}
