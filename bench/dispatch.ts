// Dispatch benchmark: npm run bench:dispatch [-- --steady-seconds 60] [--steady-rate 1] [--burst 1000]
//
// What a dispatcher lives through: a client's mail lands in the mailbox, and when does its
// ticket show in the dispatch chat? The real processes (main/intake.ts, two main/worker.ts)
// on Dovecot, PostgreSQL, Redis and the sandbox portal at its default limit, all settings at
// their defaults. First a steady trickle (new requests at random moments, --steady-rate per
// second for --steady-seconds), then a burst of --burst new requests appended at once.
// Measured at the edges only: each IMAP APPEND's OK, and the moment the portal stored the
// bot's message naming the ticket's subject in the dispatch chat (its message store's date).
// Last stdout line: {"steady_mails", "steady_p95_s", "burst", "burst_append_s", "burst_visible_s",
// "posts", "dispatch_chats", "rest_requests", "max_rps", "limit_rps"}:
//  - burst_visible_s: from the whole burst being in the mailbox to the last of its tickets shown;
//  - posts: ticket cards the bot posted (one per ticket: a number other than the mails sent means
//    a ticket was lost or doubled); dispatch_chats: the chats they are in (should be 1);
//  - max_rps as bench:b24 counts it, over the whole run.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { freePort } from '../main/free-port.js';
import { startLocalRedis } from '../main/local-redis.js';
import { sandboxEnv } from '../main/sandbox-env.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { DOVECOT_PASSWORD, startDovecot } from '../test/harness/dovecot.js';
import { makeCleanups, percentile, round, runBench } from './bench-result.js';
import { generateBenchMails, type BenchMail } from './generate-bench-mail.js';
import { fillMailbox, type ImapLogin } from './fill-mailbox.js';
import { trickle } from './ack-trickle.js';
import { startNullSmtp } from './start-null-smtp.js';
import { maxRequestRate, restRequests } from './request-rate.js';
import { spawnEntry, stopEntries, waitReady, type EntryProcess } from './spawn-entry.js';

const log = (msg: string) => process.stderr.write(`[bench:dispatch] ${msg}\n`);
const cleanups = makeCleanups(log);
const BOT_CODE = 'modest_dispatch_bench';

function readOptions() {
  const { values } = parseArgs({ options: {
    'steady-seconds': { type: 'string', default: '60' }, 'steady-rate': { type: 'string', default: '1' }, burst: { type: 'string', default: '1000' },
  } });
  return { steadySeconds: Number(values['steady-seconds']), steadyRate: Number(values['steady-rate']), burst: Number(values.burst) };
}

async function startServices() {
  const [redis, postgres, dovecot, smtp, sandbox] = await Promise.all([
    startLocalRedis(cleanups.tempDir('modest-bench-redis-')), startPostgres(), startDovecot(), startNullSmtp(), startSandbox(),
  ]);
  cleanups.add(() => redis.stop(), () => postgres.stop(), () => dovecot.close(), () => smtp.close(), () => sandbox.close());
  return { redis, postgres, dovecot, smtp, sandbox };
}

/** Notes the first moment (the portal's own timestamp) each bot message appeared, with its text. */
function watchBotMessages(sandbox: Sandbox, everyMs = 100) {
  const seen = new Map<number, { chatId: number; at: number; text: string }>();
  const botId = () => [...sandbox.portal.state.data.bots.values()].find((b) => b.code === BOT_CODE)?.id;
  const look = () => {
    const id = botId();
    for (const m of sandbox.portal.state.data.messages.values()) {
      if (m.authorId === id && !seen.has(m.id)) seen.set(m.id, { chatId: m.chatId, at: m.date, text: m.text });
    }
  };
  const timer = setInterval(look, everyMs);
  cleanups.add(async () => clearInterval(timer));
  return { look, seen };
}

/** When each mail's ticket was shown, by subject; undefined while not yet. */
function shownAt(mails: BenchMail[], seen: ReturnType<typeof watchBotMessages>['seen']): Array<number | undefined> {
  const posts = [...seen.values()];
  return mails.map((m) => posts.find((p) => p.text.includes(m.subject))?.at);
}

async function waitShown(mails: BenchMail[], watch: ReturnType<typeof watchBotMessages>, procs: EntryProcess[], timeoutMs: number) {
  for (const deadline = Date.now() + timeoutMs; ;) {
    watch.look();
    const at = shownAt(mails, watch.seen);
    if (at.every((t) => t !== undefined)) return at as number[];
    const dead = procs.find((p) => p.exited());
    if (dead) throw new Error(`${dead.name} exited:\n${dead.tail()}`);
    if (Date.now() > deadline) throw new Error(`${at.filter((t) => t === undefined).length} of ${mails.length} tickets never shown`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<Record<string, number>> {
  const o = readOptions();
  const s = await startServices();
  const dataDir = cleanups.tempDir('modest-bench-data-');
  const login: ImapLogin = { host: '127.0.0.1', port: s.dovecot.port, user: `disp${crypto.randomBytes(4).toString('hex')}`, pass: DOVECOT_PASSWORD };
  const env: Record<string, string> = {
    REDIS_URL: s.redis.url, QUEUE_PREFIX: 'dispatch', DATA_DIR: dataDir, DATABASE_URL: await createDatabase(s.postgres.url, 'dispatch'),
    IMAP_URLS: `imap://${login.user}:${login.pass}@127.0.0.1:${login.port}/INBOX?name=support`, SMTP_URL: s.smtp.url,
    MAIL_FROM: 'Acme Support <support@modest.example>', LOG_LEVEL: 'warn', B24_BOT_CODE: BOT_CODE,
    ...sandboxEnv(s.sandbox, dataDir, { botToken: 'dispatch-bench-bot' }),
  };
  const procs: EntryProcess[] = [];
  cleanups.add(() => stopEntries(procs, log));
  const start = async (name: string, file: string) => {
    const port = await freePort();
    const p = spawnEntry(name, file, { ...env, HEALTH_PORT: String(port) });
    procs.push(p);
    await waitReady(p, port, 180_000);
  };
  await Promise.all([start('worker1', 'main/worker.ts'), start('worker2', 'main/worker.ts'), start('intake', 'main/intake.ts')]);
  const watch = watchBotMessages(s.sandbox);
  // New requests only, each its own ticket; two seeds, so the two parts never share a subject.
  const steady = generateBenchMails(Math.round(o.steadySeconds * o.steadyRate), 31, 0);
  const burst = generateBenchMails(o.burst, 32, 0);
  log(`all ready; steady: ${steady.length} mails over ${o.steadySeconds} s`);
  const appendedAt = await trickle(login, steady, o.steadyRate);
  const steadyShown = await waitShown(steady, watch, procs, 120_000);
  const steadyMs = steady.map((m, k) => steadyShown[k] - appendedAt.get(m.messageId)!);
  log(`steady: mailbox -> dispatch chat p50 ${round(percentile(steadyMs, 50) / 1000)} s, p95 ${round(percentile(steadyMs, 95) / 1000)} s, max ${round(Math.max(...steadyMs) / 1000)} s`);

  const burstStart = Date.now();
  await fillMailbox(login, 'INBOX', burst.map((m) => m.raw), 4);
  const burstIn = Date.now();
  log(`burst: ${burst.length} mails appended in ${round((burstIn - burstStart) / 1000)} s`);
  const burstShown = await waitShown(burst, watch, procs, 600_000);
  const lastShown = Math.max(...burstShown);
  const requests = restRequests(s.sandbox.requestLog());
  log(`burst: first shown ${round((Math.min(...burstShown) - burstIn) / 1000)} s, last ${round((lastShown - burstIn) / 1000)} s after it was all in; `
    + `${requests.length} REST requests, ${requests.filter((r) => r.error === 'QUERY_LIMIT_EXCEEDED').length} refused by the limit`);
  await new Promise((r) => setTimeout(r, 3000)); // a doubled post would show by now
  watch.look();
  const kinds = new Map<string, number>();
  for (const r of requests) kinds.set(r.method === 'batch' ? `batch(${r.subCalls.length})` : r.method, (kinds.get(r.method === 'batch' ? `batch(${r.subCalls.length})` : r.method) ?? 0) + 1);
  const byChat = [...watch.seen.values()].reduce((m, x) => m.set(x.chatId, (m.get(x.chatId) ?? 0) + 1), new Map<number, number>());
  log(`requests: ${JSON.stringify(Object.fromEntries(kinds))}; bot messages by chat: ${JSON.stringify([...byChat].map(([id, n]) => {
    const c = s.sandbox.portal.state.data.chats.get(id);
    return { id, n, type: c?.type, title: c?.title, members: c?.memberIds };
  }))}`);
  // Cards name their ticket (#N); the bot posts nothing else here. More than one chat with cards: the dispatch chat was doubled.
  const cards = [...watch.seen.values()].filter((m) => /#\d+/.test(m.text));
  return {
    steady_mails: steady.length, steady_p95_s: round(percentile(steadyMs, 95) / 1000), burst: burst.length,
    burst_append_s: round((burstIn - burstStart) / 1000), burst_visible_s: round((lastShown - burstIn) / 1000),
    posts: cards.length, dispatch_chats: new Set(cards.map((m) => m.chatId)).size,
    rest_requests: requests.length, max_rps: maxRequestRate(requests), limit_rps: loadConfig(env).bitrix24.limits.drainPerSecond,
  };
}

await runBench(main, cleanups.run, log);
