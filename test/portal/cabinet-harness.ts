import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Db, Sql } from '../../tickets/store/db.js';
import { BlobStore } from '../../connectors/mail/blob-store.js';
import { SmtpSender } from '../../connectors/mail/smtp-sender.js';
import { createLogger } from '../../main/logger.js';
import { cabinetApp } from '../../portal/cabinet-app.js';
import type { AccountDeps } from '../../portal/accounts/account-deps.js';
import { invitePerson } from '../../portal/accounts/invite-person.js';
import { SmtpSink, type ReceivedMail } from '../harness/smtp-sink.js';
import { eventually } from '../harness/wait.js';
import { openDb } from '../../tickets/store/db.js';
import { migrate } from '../../tickets/store/migrate.js';
import { createDatabase } from '../harness/postgres.js';
import { parseInboundMail } from '../../connectors/mail/parse-inbound-mail.js';
import { recordInboundMails } from '../../tickets/record-inbound-mails.js';
import type { ClientMailIntake } from '../../portal/mail/send-client-mail.js';
import { recordOptions } from '../harness/record-options.js';

export interface Cabinet {
  url: string;
  databaseUrl: string;
  db: Db;
  sink: SmtpSink;
  blobs: BlobStore;
  deps: AccountDeps;
  /** Raw sources of the mail written in the cabinet, in the order it was handed in. */
  intakeRaw: Buffer[];
  close(): Promise<void>;
}

export const TEST_SETTINGS: AccountDeps['settings'] = {
  sessionMs: 3600_000, inviteMs: 72 * 3600_000, resetMs: 3600_000, maxFailures: 5, lockoutMs: 15 * 60_000, ipMaxFailures: 12,
};

/**
 * The cabinet on a real HTTP server, on a fresh PostgreSQL database, mailing through a real
 * SMTP listener. `assetsDir`: the built app (browser tests); API tests serve an empty folder.
 */
export async function startCabinet(o: { assetsDir?: string } = {}): Promise<Cabinet> {
  const databaseUrl = await createDatabase(process.env.TEST_DATABASE_URL!);
  const db = await openDb({ databaseUrl, pgliteDir: '' });
  await migrate(db);
  const sink = await SmtpSink.start();
  const smtp = new SmtpSender(sink.url, 'Modest Support <support@modest.example>');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-cabinet-'));
  const blobs = new BlobStore(path.join(tmp, 'blobs'));
  const app = express();
  // As behind a proxy on this host: X-Forwarded-For from loopback names the client's address.
  app.set('trust proxy', 'loopback');
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const deps: AccountDeps = {
    db, smtp, publicUrl: url, supportName: 'Modest Support', messageIdDomain: 'modest.example', timeZone: 'Europe/Moscow', settings: TEST_SETTINGS,
  };
  const intakeRaw: Buffer[] = [];
  // The ingest job's own step, run at once: parse the source and thread it (no queue in API tests).
  const mailIntake: ClientMailIntake = {
    accept: async ({ raw, sourceKey }) => {
      intakeRaw.push(raw);
      const mail = await parseInboundMail(raw, { blobs, maxAttachmentBytes: 10 * 2 ** 20 });
      await recordInboundMails(db, [{ mail, source: { key: sourceKey, mailbox: 'cabinet' } }], recordOptions());
    },
  };
  app.use(cabinetApp({
    ...deps, blobs, log: createLogger('silent', 'test'), assetsDir: o.assetsDir ?? tmp, mailIntake, supportAddress: 'support@modest.example',
  }));
  return {
    url, databaseUrl, db, sink, blobs, deps, intakeRaw,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      smtp.close();
      await sink.down();
      await db.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The last mail to `to`, once it has arrived. */
export async function mailTo(sink: SmtpSink, to: string, after = 0): Promise<ReceivedMail> {
  return eventually(`mail to ${to}`, async () => sink.received.slice(after).reverse().find((m) => m.rcptTo.includes(to)));
}

/** The set-password link in a mail: [whole link, token]. */
export function linkIn(mail: ReceivedMail): { link: string; token: string } {
  const m = /(https?:\/\/\S+\/set-password\?token=([A-Za-z0-9_-]+))/.exec(mail.mail.text ?? '');
  if (!m) throw new Error(`no set-password link in: ${mail.mail.text}`);
  return { link: m[1], token: decodeURIComponent(m[2]) };
}

/** An invited person who has set a password from the mailed link: a signed-in API client. */
export async function activatedPerson(cab: Cabinet, email: string, clientId: number, role: 'director' | 'employee'): Promise<Browserish> {
  const before = cab.sink.received.length;
  await invitePerson(cab.deps, { clientId, email, name: '', role, invitedBy: 'operator:test', actor: 'system' });
  const b = new Browserish(cab.url);
  const res = await b.call('POST', '/api/password', { token: linkIn(await mailTo(cab.sink, email, before)).token, password: 'a password of ten' });
  if (res.status !== 200) throw new Error(`setting the password failed: ${res.status} ${res.text}`);
  return b;
}

let seq = 0;

export async function makeClient(sql: Sql, company: string, language: 'ru' | 'en' = 'ru'): Promise<number> {
  const [c] = await sql.query<{ id: number }>('insert into clients (company, language) values ($1, $2) returning id', [company, language]);
  return c.id;
}

export interface TicketInput {
  clientId: number;
  from: string;
  fromName?: string;
  subject: string;
  text?: string;
  /** The sanitized HTML part as the intake stores it. */
  html?: string;
  status?: string;
  createdAt?: Date;
  attachment?: { filename: string; content: Buffer };
  reply?: string;
  note?: string;
  minutes?: number;
}

/** A ticket as the intake and the bot leave it: client mail, our reply, a note, the audit trail. */
export async function makeTicket(c: Pick<Cabinet, 'db' | 'blobs'>, t: TicketInput): Promise<{ id: number; number: number; messageId: number }> {
  const at = t.createdAt ?? new Date();
  const status = t.status ?? 'new';
  return c.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number; number: number }>(`insert into tickets (status, client_id, requester_email, requester_name, subject,
      created_at, updated_at, closed_at) values ($1, $2, $3, $4, $5, $6, $6, $7) returning id, number`,
    [status, t.clientId, t.from, t.fromName ?? null, t.subject, at, ['resolved', 'awaiting_time'].includes(status) ? at : null]);
    const attachments = t.attachment
      ? [{ filename: t.attachment.filename, contentType: 'application/octet-stream', size: t.attachment.content.length, sha256: await c.blobs.put(t.attachment.content) }]
      : [];
    const [m] = await tx.query<{ id: number }>(`insert into messages (ticket_id, direction, kind, dedupe_key, from_address, from_name, subject, body_text,
      attachments, created_at, body_html, message_id) values ($1, 'in', 'mail', 'mid:' || $2, $3, $4, $5, $6, $7, $8, $9, $2) returning id`,
    [row.id, `m${++seq}-${Date.now()}@test`, t.from, t.fromName ?? null, t.subject, t.text ?? 'Please help.', JSON.stringify(attachments), at, t.html ?? null]);
    await tx.query(`insert into audit_log (ticket_id, actor, action, channel, created_at) values ($1, $2, 'created', 'mail', $3)`, [row.id, `client:${t.from}`, at]);
    if (status !== 'new') {
      await tx.query(`insert into audit_log (ticket_id, actor, action, channel, details, created_at) values ($1, 'system', 'assign', 'bot', $2, $3)`,
        [row.id, JSON.stringify({ from: 'new', to: status }), at]);
    }
    if (t.reply) {
      await tx.query(`insert into messages (ticket_id, direction, kind, body_text, send_state, created_at, message_id)
        values ($1, 'out', 'reply', $2, 'sent', $3, $4)`, [row.id, t.reply, at, `reply-${++seq}-${Date.now()}@modest.example`]);
    }
    if (t.note) await tx.query(`insert into messages (ticket_id, direction, kind, body_text, created_at) values ($1, 'note', 'note', $2, $3)`, [row.id, t.note, at]);
    if (t.minutes) await tx.query('insert into time_entries (ticket_id, minutes, billable, created_at) values ($1, $2, true, $3)', [row.id, t.minutes, at]);
    return { ...row, messageId: m.id };
  });
}

/** A browser stand-in for API tests: keeps cookies, sends the CSRF header unless told not to. */
export class Browserish {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string, readonly ip = '203.0.113.7') {}

  async call(method: string, p: string, body?: unknown, o: { csrf?: boolean; origin?: string } = {}) {
    if (!this.cookies.has('cabinet_csrf') && method !== 'GET') await this.call('GET', '/api/session');
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (o.csrf !== false && method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(this.cookies.get('cabinet_csrf') ?? '');
    if (o.origin) headers.origin = o.origin;
    const res = await fetch(this.base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const [k, v] = [pair.slice(0, i), pair.slice(i + 1)];
      if (/expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    const text = await res.text();
    let json: any = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* a file */ }
    return { status: res.status, json, text, headers: res.headers, setCookies: res.headers.getSetCookie() };
  }
}
