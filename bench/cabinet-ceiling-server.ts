// The ceiling of bench:cabinet: the best a bare script does for a signed-in list request on
// this machine, against the same database, in one process like the web: node:http and a pg
// pool, the session looked up as the cabinet does, then one indexed query (the company's or the
// person's 25 latest tickets) sent back as JSON. No framework, no validation, no headers, no
// logging: what is left is the machine, PostgreSQL and the HTTP round trip.
import http from 'node:http';
import pg from 'pg';
import { sha256 } from '../portal/accounts/one-time-links.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });

async function list(cookie: string): Promise<{ status: number; body: string }> {
  const id = /(?:^|;\s*)cabinet_session=([^;]+)/.exec(cookie)?.[1];
  if (!id) return { status: 401, body: '{}' };
  const { rows: [who] } = await pool.query(`select u.client_id, u.role, u.email from portal_sessions s join portal_users u on u.id = s.user_id
    where s.id_sha256 = $1 and s.expires_at > now()`, [sha256(decodeURIComponent(id))]);
  if (!who) return { status: 401, body: '{}' };
  const own = who.role !== 'director';
  const { rows } = await pool.query(`select number, subject, status, requester_email, requester_name, created_at, updated_at from tickets
    where client_id = $1 ${own ? 'and requester_email = $2' : ''} order by updated_at desc, id desc limit 25`, own ? [who.client_id, who.email] : [who.client_id]);
  return { status: 200, body: JSON.stringify({ rows }) };
}

const server = http.createServer((req, res) => {
  if (req.url === '/readyz') return void res.end('ok');
  list(req.headers.cookie ?? '').then(({ status, body }) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  }, (err: Error) => res.writeHead(500).end(err.message));
});
server.listen(Number(process.env.HTTP_PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
