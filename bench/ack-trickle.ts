// The ingest figure a client feels: a mail lands in the mailbox, and how long until our
// acknowledgement is accepted by the SMTP listener, for a steady trickle of new requests
// (random arrival, not a burst). Measured at the two edges only: the IMAP APPEND's OK, and the
// listener's acceptance of the acknowledgement (matched by its In-Reply-To).
import { SMTPServer } from 'smtp-server';
import { seededRandom } from '../sandbox/portal-context.js';
import type { BenchMail } from './generate-bench-mail.js';
import { connectImap, type ImapLogin } from './fill-mailbox.js';
import { freePort } from '../main/free-port.js';
import { round } from './bench-result.js';
import { spawnEntry, stopEntries, waitReady, type EntryProcess } from './spawn-entry.js';
import { Redis } from 'ioredis';

/** How much of the time (0..1) an intake announced a backlog, which holds outgoing mail (workers/intake-backlog.ts). */
function sampleBacklog(redisUrl: string, prefix: string): { stop(): Promise<number> } {
  const redis = new Redis(redisUrl);
  let samples = 0;
  let busy = 0;
  const timer = setInterval(() => {
    void redis.zcount(`${prefix}:intake-backlog`, Date.now(), '+inf').then((n) => { samples++; if (n > 0) busy++; }, () => {});
  }, 100);
  return { async stop() { clearInterval(timer); redis.disconnect(); return samples ? busy / samples : 0; } };
}

/** An SMTP listener noting when it accepted a mail answering each Message-ID (its In-Reply-To). */
export async function startAckListener(): Promise<{ url: string; acceptedAt: Map<string, number>; close(): Promise<void> }> {
  const acceptedAt = new Map<string, number>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData: (stream, _session, cb) => {
      let head = '';
      stream.on('data', (d: Buffer) => { if (head.length < 16_384) head += d.toString('latin1'); });
      stream.on('end', () => {
        const id = /^in-reply-to:\s*<([^>]+)>/im.exec(head)?.[1];
        if (id && !acceptedAt.has(id)) acceptedAt.set(id, Date.now());
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}`, acceptedAt, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Appends `mails` at random moments, `perSecond` on average, over `lanes` IMAP connections (a
 * mail server delivers in parallel too); resolves with when each append was acknowledged.
 */
export async function trickle(login: ImapLogin, mails: BenchMail[], perSecond: number, lanes = 4): Promise<Map<string, number>> {
  const clients = await Promise.all(Array.from({ length: lanes }, async () => {
    const c = await connectImap(login);
    return { c, busy: Promise.resolve() };
  }));
  const appendedAt = new Map<string, number>();
  const random = seededRandom(7);
  const start = Date.now();
  let t = 0;
  const all: Array<Promise<void>> = [];
  for (const [k, mail] of mails.entries()) {
    t += (-Math.log(1 - random()) / perSecond) * 1000; // Poisson arrival: exponential gaps
    await new Promise((r) => setTimeout(r, Math.max(0, start + t - Date.now())));
    const lane = clients[k % lanes];
    lane.busy = lane.busy.then(async () => {
      await lane.c.append('INBOX', mail.raw);
      appendedAt.set(mail.messageId, Date.now());
    });
    all.push(lane.busy);
  }
  await Promise.all(all);
  await Promise.all(clients.map((l) => l.c.logout()));
  return appendedAt;
}

/**
 * Runs `workers` worker processes and the intake on `env` (its mailbox empty, its SMTP the ack
 * listener), trickles `mails` in once all are ready, and returns each mail's mailbox-to-ack time in ms.
 */
export async function measureAckLatency(o: { env: Record<string, string>; login: ImapLogin; mails: BenchMail[]; perSecond: number;
  workers: number; acceptedAt: Map<string, number>; committedAt?: () => Promise<Map<string, number>> }, log: (m: string) => void): Promise<number[]> {
  const procs: EntryProcess[] = [];
  const start = async (name: string, file: string) => {
    const port = await freePort();
    const p = spawnEntry(name, file, { ...o.env, HEALTH_PORT: String(port) });
    procs.push(p);
    await waitReady(p, port);
  };
  try {
    await Promise.all(Array.from({ length: o.workers }, (_, k) => start(`worker${k + 1}`, 'main/worker.ts')));
    await start('intake', 'main/intake.ts');
    log(`ack trickle: ${o.mails.length} mails at ${o.perSecond}/s`);
    const backlog = sampleBacklog(o.env.REDIS_URL, o.env.QUEUE_PREFIX);
    const appendedAt = await trickle(o.login, o.mails, o.perSecond);
    for (const deadline = Date.now() + 120_000; o.mails.some((m) => !o.acceptedAt.has(m.messageId));) {
      const dead = procs.find((p) => p.exited());
      if (dead) throw new Error(`${dead.name} exited during the ack trickle:\n${dead.tail()}`);
      if (Date.now() > deadline) throw new Error(`${o.mails.filter((m) => !o.acceptedAt.has(m.messageId)).length} acknowledgements never arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`ack trickle: the intake announced a backlog (outgoing mail held) ${round(100 * await backlog.stop())}% of the time`);
    const committed = await o.committedAt?.();
    if (committed) {
      const p50 = (xs: number[]) => round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] / 1000);
      log(`ack trickle stages, p50: mailbox -> ticket committed ${p50(o.mails.map((m) => committed.get(m.messageId)! - appendedAt.get(m.messageId)!))} s, `
        + `committed -> ack accepted ${p50(o.mails.map((m) => o.acceptedAt.get(m.messageId)! - committed.get(m.messageId)!))} s`);
    }
    return o.mails.map((m) => o.acceptedAt.get(m.messageId)! - appendedAt.get(m.messageId)!);
  } finally {
    await stopEntries(procs, log);
  }
}
