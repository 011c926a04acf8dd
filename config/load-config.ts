import crypto from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/** Thrown with one line naming every wrong or missing setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const list = z.string().optional().transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const idList = list.refine((ids) => ids.every((id) => /^\d+$/.test(id)), 'comma-separated Bitrix24 ids');
const url = (protocols: string[]) => z.string().refine((s) => {
  try { return protocols.includes(new URL(s).protocol.replace(/:$/, '')); } catch { return false; }
}, { message: `must be a ${protocols.map((p) => `${p}://`).join(' or ')} URL` });

export interface MailboxSettings {
  /** Short name, used in logs, health and receipts (the `name` query parameter, else user@host). */
  name: string;
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder: string;
}

function parseMailboxUrl(s: string, ctx: z.RefinementCtx): MailboxSettings {
  let u: URL;
  try { u = new URL(s); } catch { u = new URL('invalid:'); }
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:' || !u.hostname || !u.username) {
    ctx.addIssue({ code: 'custom', message: 'each entry must look like imap[s]://user:password@host[:port]/Folder' });
    return z.NEVER;
  }
  const user = decodeURIComponent(u.username);
  return {
    name: u.searchParams.get('name') ?? `${user}@${u.hostname}`,
    host: u.hostname,
    port: Number(u.port) || (u.protocol === 'imaps:' ? 993 : 143),
    secure: u.protocol === 'imaps:',
    user,
    password: decodeURIComponent(u.password),
    folder: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/** The Sent folder of the SMTP account: a mailbox URL; no folder (a bare `/`) means the one marked `\Sent`. */
function parseSentFolderUrl(s: string, ctx: z.RefinementCtx): MailboxSettings {
  const box = parseMailboxUrl(s, ctx);
  return { ...box, folder: /^imaps?:\/\/[^/]+\/?(?:[?#].*)?$/.test(s) ? '' : box.folder };
}

/**
 * Express `trust proxy`: off unless set. "true" trusts every hop (only behind a proxy that
 * overwrites X-Forwarded-For), a number counts hops, anything else is express's list form
 * ("loopback", "10.0.0.0/8, 127.0.0.1").
 */
function parseTrustProxy(s: string, ctx: z.RefinementCtx): boolean | number | string {
  const v = s.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^[\w.:/, -]+$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'true, false, a hop count, or addresses/subnets such as "loopback, 10.0.0.0/8"' });
    return z.NEVER;
  }
  return v;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** When reminders may go out, in TIME_ZONE: ISO weekdays (1 = Monday) and minutes since midnight. */
export interface WorkingHours {
  days: number[];
  fromMinute: number;
  toMinute: number;
}

function parseWorkingHours(s: string, ctx: z.RefinementCtx): WorkingHours {
  const m = /^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/i.exec(s.trim());
  const first = m ? DAYS.indexOf(m[1].toLowerCase()) : -1;
  const last = m ? (m[2] ? DAYS.indexOf(m[2].toLowerCase()) : first) : -1;
  const fromMinute = m ? Number(m[3]) * 60 + Number(m[4]) : 0;
  const toMinute = m ? Number(m[5]) * 60 + Number(m[6]) : 0;
  if (!m || last < first || fromMinute >= toMinute || toMinute > 24 * 60) {
    ctx.addIssue({ code: 'custom', message: 'must look like "mon-fri 09:00-18:00"' });
    return z.NEVER;
  }
  return { days: DAYS.slice(first, last + 1).map((_, i) => first + i + 1), fromMinute, toMinute };
}

const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: int(10, 1),
  REDIS_URL: url(['redis', 'rediss']),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and - only').default('modest'),
  HTTP_PORT: int(3000),
  HEALTH_PORT: int(3001),
  HTTP_TRUST_PROXY: z.string().optional().transform((s, ctx) => (s === undefined ? false : parseTrustProxy(s, ctx))),
  IMAP_URLS: z.string().optional().transform((s, ctx) =>
    (s ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((x) => parseMailboxUrl(x, ctx))),
  MAIL_POLL_INTERVAL_SECONDS: int(30, 1),
  MAIL_FETCH_BATCH: int(50, 1),
  INTAKE_PARSE_THREADS: z.coerce.number().int().min(1).max(16).optional(),
  MAIL_PROCESSED_KEYWORD: z.string().regex(/^[$A-Za-z0-9_]+$/, 'an IMAP keyword like $ModestIngested').default('$ModestIngested'),
  MAIL_DROP_DIR: z.string().optional(),
  MAIL_MAX_ATTACHMENT_MB: z.coerce.number().positive().default(25),
  SMTP_URL: url(['smtp', 'smtps']),
  SMTP_PROBE_SECONDS: z.coerce.number().positive().default(10),
  SMTP_SENT_FOLDER_URL: z.string().optional().transform((s, ctx) => (s === undefined ? undefined : parseSentFolderUrl(s, ctx))),
  MAIL_FROM: z.string().regex(/<?[^<>\s@]+@[^<>\s@]+>?\s*$/, 'must be an address, e.g. "Support <support@example.com>"'),
  SUPPORT_ADDRESSES: list,
  COMPANY_NAME: z.string().min(1).default('Modest Support'),
  // Reports: our company's details at the foot of every monthly report; `\n` starts a new line.
  // Unset: the company name, so a report always says at its foot who issued it.
  COMPANY_DETAILS_RU: z.string().optional(),
  COMPANY_DETAILS_EN: z.string().optional(),
  DEFAULT_LANGUAGE: z.enum(['ru', 'en']).default('ru'),
  // Under a specialist's name in every reply to a client; `\n` starts a new line.
  MAIL_SIGNATURE_RU: z.string().min(1).optional(),
  MAIL_SIGNATURE_EN: z.string().min(1).optional(),
  TIME_ZONE: z.string().refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } },
    'must be an IANA time zone such as Europe/Moscow').default('Europe/Moscow'),
  REOPEN_DAYS: int(14, 0),
  INGEST_CONCURRENCY: int(3, 1),
  MAIL_SEND_CONCURRENCY: int(2, 1),
  MAIL_SEND_RATE: int(20, 1),
  MAIL_SEND_HOLD_SECONDS: int(15, 0),
  MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY: int(10, 0),
  JOB_LOCK_SECONDS: int(30, 1),
  SCHEDULE_CHECK_SECONDS: z.coerce.number().positive().default(5),
  OUTBOX_SWEEP_SECONDS: z.coerce.number().positive().default(60),
  B24_WEBHOOK_URL: url(['https']).optional(),
  B24_BOT_TOKEN: z.string().min(8, 'at least 8 characters').max(40, 'at most 40 characters (Bitrix24 limit)').optional(),
  B24_BOT_CODE: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only').default('modest_support'),
  B24_BOT_NAME: z.string().min(1).default('Modest Support'),
  B24_CLIENT_ID: z.string().optional(),
  B24_CLIENT_SECRET: z.string().optional(),
  B24_PUBLIC_URL: url(['https', 'http']).optional(),
  B24_PORTAL_URL: url(['https']).optional(),
  // reference §1 and settings/cloud-and-on-premise/on-premise/index.md: refresh at the
  // authorization server itself, never at an address an install or event names.
  B24_OAUTH_SERVER_URL: url(['https']).default('https://oauth.bitrix24.tech/'),
  B24_RATE_DRAIN: z.coerce.number().positive().default(2),
  B24_RATE_BURST: z.coerce.number().int().positive().default(50),
  B24_CA_FILE: z.string().optional(),
  B24_EVENT_POLL_SECONDS: z.coerce.number().positive().default(5),
  B24_EVENT_POLL_ACTIVE_SECONDS: z.coerce.number().positive().default(1),
  B24_EVENT_ACTIVE_WINDOW_SECONDS: z.coerce.number().min(0).default(120),
  BOT_DISPATCH_DIALOG: z.string().regex(/^(chat\d+|\d+)$/, 'a dialog id: chatN for a group chat, or a user id').optional(),
  BOT_DISPATCHERS: idList,
  BOT_SUPPORT_DEPARTMENTS: idList,
  BOT_DEVELOPER_DEPARTMENT: z.string().regex(/^\d+$/, 'a Bitrix24 department id').optional(),
  BOT_REMIND_INTERVAL_SECONDS: z.coerce.number().positive().default(300),
  BOT_WORKING_HOURS: z.string().optional().transform((s, ctx) => (s ? parseWorkingHours(s, ctx) : null)),
  BOT_TICK_SECONDS: z.coerce.number().positive().default(2),
  BOT_REMINDER_LIST_SIZE: int(10, 1),
  BOT_TASK_POLL_SECONDS: z.coerce.number().positive().optional(),
  BOT_DIRECTORY_SYNC_SECONDS: z.coerce.number().positive().default(600),
  REPORT_REVIEWERS: idList,
  PUBLIC_URL: url(['https', 'http']).default('http://localhost:3000'),
  CABINET_SESSION_DAYS: int(14, 1),
  CABINET_INVITE_HOURS: int(72, 1),
  CABINET_RESET_MINUTES: int(60, 5),
  CABINET_LOGIN_MAX_FAILURES: int(5, 1),
  CABINET_LOCKOUT_MINUTES: int(15, 1),
  CABINET_IP_MAX_FAILURES: int(30, 1),
  // --- operator panel (issue 15) ---
  PANEL_LINK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PANEL_LINK_MINUTES: int(15, 1),
  PANEL_SESSION_HOURS: int(12, 1),
  PANEL_ADMINS: idList,
  PANEL_RESTRICT_TO_DEPARTMENT: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  MODEST_CRASH_AT: z.enum(['after-ingest-commit', 'after-smtp-accepted', 'after-portal-acted']).optional(),
}).superRefine((e, ctx) => {
  if (e.B24_WEBHOOK_URL && !e.B24_BOT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['B24_BOT_TOKEN'], message: 'is required with B24_WEBHOOK_URL (any secret string of 8-40 characters)' });
  }
  if ((e.B24_WEBHOOK_URL || e.B24_CLIENT_ID) && !e.BOT_DISPATCH_DIALOG && e.BOT_DISPATCHERS.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['BOT_DISPATCH_DIALOG'],
      message: 'is required with Bitrix24 (a chat id such as chat12), or give BOT_DISPATCHERS to have a dispatch chat created' });
  }
  if (!e.B24_WEBHOOK_URL && (e.B24_CLIENT_ID || e.B24_CLIENT_SECRET)
    && !(e.B24_CLIENT_ID && e.B24_CLIENT_SECRET && e.B24_PUBLIC_URL && e.B24_PORTAL_URL)) {
    ctx.addIssue({ code: 'custom', path: ['B24_CLIENT_ID'],
      message: 'OAuth mode needs B24_CLIENT_ID, B24_CLIENT_SECRET, B24_PUBLIC_URL and B24_PORTAL_URL together' });
  }
});

function build(e: z.infer<typeof schema>) {
  const fromAddress = /<?([^<>\s]+@[^<>\s]+?)>?\s*$/.exec(e.MAIL_FROM)![1].toLowerCase();
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    logLevel: e.LOG_LEVEL,
    /** auto: readable lines on a terminal, JSON lines otherwise (a service manager, a pipe, a file). */
    logFormat: e.LOG_FORMAT,
    /** How long a job may run unseen before another worker takes it over (a crashed worker's jobs). */
    jobLockMs: e.JOB_LOCK_SECONDS * 1000,
    /** How often each process looks for the job schedulers it owns in Redis and puts back missing ones. */
    scheduleCheckMs: Math.round(e.SCHEDULE_CHECK_SECONDS * 1000),
    /** How often committed outgoing mail that is not queued is looked for (and re-queued). */
    outboxSweepMs: Math.round(e.OUTBOX_SWEEP_SECONDS * 1000),
    dataDir,
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, pgliteDir: path.join(dataDir, 'pglite') },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    http: { port: e.HTTP_PORT, healthPort: e.HEALTH_PORT, trustProxy: e.HTTP_TRUST_PROXY },
    mail: {
      mailboxes: e.IMAP_URLS,
      pollIntervalMs: e.MAIL_POLL_INTERVAL_SECONDS * 1000,
      fetchBatch: e.MAIL_FETCH_BATCH,
      /** The intake's parser threads; unset: parseThreadCount()'s choice for this machine. */
      parseThreads: e.INTAKE_PARSE_THREADS,
      processedKeyword: e.MAIL_PROCESSED_KEYWORD,
      dropDir: e.MAIL_DROP_DIR ? path.resolve(e.MAIL_DROP_DIR) : undefined,
      maxAttachmentBytes: Math.round(e.MAIL_MAX_ATTACHMENT_MB * 1024 * 1024),
      smtpUrl: e.SMTP_URL,
      /** How often worker processes check that the SMTP server answers (readiness shows it). */
      smtpProbeMs: Math.round(e.SMTP_PROBE_SECONDS * 1000),
      /** Where the relay keeps what it accepted; a send whose outcome was lost is looked up there (send-mail.ts). */
      sentFolder: e.SMTP_SENT_FOLDER_URL,
      from: e.MAIL_FROM,
      ownAddresses: [...new Set([fromAddress, ...e.SUPPORT_ADDRESSES.map((a) => a.toLowerCase())])],
      messageIdDomain: fromAddress.split('@')[1],
      ingestConcurrency: e.INGEST_CONCURRENCY,
      sendConcurrency: e.MAIL_SEND_CONCURRENCY,
      sendRatePerSecond: e.MAIL_SEND_RATE,
      sendHoldMs: e.MAIL_SEND_HOLD_SECONDS * 1000,
      /** Automatic mails (acknowledgements, resolution notices) to one address in 24 hours; the loop breaker of last resort. */
      autoRepliesPerAddressPerDay: e.MAIL_AUTO_REPLIES_PER_ADDRESS_PER_DAY,
    },
    bitrix24: buildBitrix24(e),
    companyName: e.COMPANY_NAME,
    /** Printed at the foot of the monthly reports, in the report's language. */
    companyDetails: {
      ru: (e.COMPANY_DETAILS_RU || e.COMPANY_NAME).replaceAll('\\n', '\n'), en: (e.COMPANY_DETAILS_EN || e.COMPANY_NAME).replaceAll('\\n', '\n'),
    },
    /** Our signature under the specialist's name in replies to clients, per language. */
    mailSignature: {
      ru: (e.MAIL_SIGNATURE_RU ?? `Служба поддержки ${e.COMPANY_NAME}`).replace(/\\n/g, '\n'),
      en: (e.MAIL_SIGNATURE_EN ?? `${e.COMPANY_NAME} support`).replace(/\\n/g, '\n'),
    },
    /** The team's clock: month boundaries of reports, the monthly run's hour. */
    timeZone: e.TIME_ZONE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    reopenDays: e.REOPEN_DAYS,
    /** Where people open a ticket in a browser (links in tasks and bot messages). */
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    /** The client cabinet (portal/): sign-in, one-time links, lockout. Links point at publicUrl. */
    cabinet: {
      sessionMs: e.CABINET_SESSION_DAYS * 24 * 3600_000,
      inviteMs: e.CABINET_INVITE_HOURS * 3600_000,
      resetMs: e.CABINET_RESET_MINUTES * 60_000,
      maxFailures: e.CABINET_LOGIN_MAX_FAILURES,
      lockoutMs: e.CABINET_LOCKOUT_MINUTES * 60_000,
      ipMaxFailures: e.CABINET_IP_MAX_FAILURES,
    },
    /** The operator panel (portal/panel/): staff sign in by links the bot signs for them. */
    panel: buildPanel(e),
    /** Test only (bench:chaos): die at this point the first time it is reached (workers/crash-point.ts). */
    crashAt: e.MODEST_CRASH_AT,
    bot: {
      dispatchDialog: e.BOT_DISPATCH_DIALOG,
      dispatchers: e.BOT_DISPATCHERS.map(Number),
      supportDepartments: e.BOT_SUPPORT_DEPARTMENTS,
      developerDepartment: e.BOT_DEVELOPER_DEPARTMENT,
      remindIntervalMs: Math.round(e.BOT_REMIND_INTERVAL_SECONDS * 1000),
      workingHours: e.BOT_WORKING_HOURS,
      tickMs: Math.round(e.BOT_TICK_SECONDS * 1000),
      reminderListSize: e.BOT_REMINDER_LIST_SIZE,
      // OAuth mode gets task events pushed: the poll is only a safety net there.
      taskPollMs: Math.round((e.BOT_TASK_POLL_SECONDS ?? (!e.B24_WEBHOOK_URL && e.B24_CLIENT_ID ? 900 : 60)) * 1000),
      /** How often departments and staff are re-read from the portal (renamed, deleted, who left). */
      directorySyncMs: Math.round(e.BOT_DIRECTORY_SYNC_SECONDS * 1000),
      /** Quality control (Bitrix24 user ids): the monthly report review goes to them; they approve from the bot. */
      reportReviewers: e.REPORT_REVIEWERS.map(Number),
    },
  };
}

/**
 * The links' key: PANEL_LINK_SECRET, else derived from the bot's own secret (webhook mode) or
 * the application's (OAuth), which every process of one installation already shares; without
 * any, no links are signed and the panel says how to set one.
 */
function buildPanel(e: z.infer<typeof schema>) {
  const base = e.PANEL_LINK_SECRET ?? e.B24_BOT_TOKEN ?? e.B24_CLIENT_SECRET;
  return {
    linkSecret: base ? crypto.createHmac('sha256', base).update('modest panel links').digest('hex') : null,
    linkMs: e.PANEL_LINK_MINUTES * 60_000,
    sessionMs: e.PANEL_SESSION_HOURS * 3600_000,
    /** Bitrix24 user ids of administrators: every ticket, and the administration pages. */
    admins: e.PANEL_ADMINS.map(Number),
    /** Specialists see only their department's tickets, their own and the unassigned. */
    restrictToDepartment: e.PANEL_RESTRICT_TO_DEPARTMENT,
  };
}

/** Which way we reach the portal: an inbound webhook (pull events), OAuth (pushed events), or not at all. */
function buildBitrix24(e: z.infer<typeof schema>) {
  const common = {
    bot: { code: e.B24_BOT_CODE, name: e.B24_BOT_NAME },
    limits: { drainPerSecond: e.B24_RATE_DRAIN, burst: e.B24_RATE_BURST },
    caFile: e.B24_CA_FILE ? path.resolve(e.B24_CA_FILE) : undefined,
    eventPollMs: e.B24_EVENT_POLL_SECONDS * 1000,
    eventActivePollMs: Math.min(e.B24_EVENT_POLL_ACTIVE_SECONDS, e.B24_EVENT_POLL_SECONDS) * 1000,
    eventActiveWindowMs: e.B24_EVENT_ACTIVE_WINDOW_SECONDS * 1000,
  };
  if (e.B24_WEBHOOK_URL) {
    const url = new URL(e.B24_WEBHOOK_URL);
    // reference §1: https://{portal}/rest/{user_id}/{secret}/
    const webhookUserId = Number(/^\/rest\/(\d+)\//.exec(url.pathname)?.[1] ?? 0) || null;
    return { ...common, mode: 'webhook' as const, webhookUrl: e.B24_WEBHOOK_URL, botToken: e.B24_BOT_TOKEN!, portalHost: url.host, webhookUserId };
  }
  if (e.B24_CLIENT_ID && e.B24_CLIENT_SECRET && e.B24_PUBLIC_URL && e.B24_PORTAL_URL) {
    const portal = new URL(e.B24_PORTAL_URL);
    return {
      ...common, mode: 'oauth' as const, clientId: e.B24_CLIENT_ID, clientSecret: e.B24_CLIENT_SECRET,
      publicUrl: e.B24_PUBLIC_URL.replace(/\/+$/, ''),
      /** The one portal we serve: installs and events naming another are refused. */
      portalUrl: portal.origin, portalHost: portal.host,
      oauthServerUrl: new URL(e.B24_OAUTH_SERVER_URL).origin + '/',
    };
  }
  return { ...common, mode: 'off' as const };
}

export type Config = ReturnType<typeof build>;

/** Reads every setting from `env`, reports all problems at once, returns a frozen object. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) =>
      `${i.path.join('.')}: ${i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message}`));
  }
  return deepFreeze(build(parsed.data));
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
