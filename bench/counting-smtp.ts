import { SMTPServer } from 'smtp-server';
import { freePort } from '../main/free-port.js';
import { fileSentCopy, type SentCopyTarget } from '../test/harness/sent-copy.js';

/**
 * An SMTP listener that keeps only the Message-ID of each mail it accepts (to count
 * duplicates and misses), and can be stopped and started again on the same port. After
 * `fileCopiesTo`, it behaves like Gmail: a mail from a logged-in sender is filed into that
 * user's Sent folder on Dovecot before the 250.
 */
export async function startCountingSmtp() {
  const port = await freePort();
  const received = new Map<string, number>();
  let server: SMTPServer | null = null;
  let copies: SentCopyTarget | undefined;
  const up = async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 500,
      authOptional: true, allowInsecureAuth: true, onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const id = /^message-id:\s*<([^>]+)>/im.exec(raw.subarray(0, 16_384).toString('latin1'))?.[1] ?? '';
          const user = typeof session.user === 'string' ? session.user : undefined;
          (copies && user ? fileSentCopy(copies, user, raw) : Promise.resolve()).then(() => {
            received.set(id, (received.get(id) ?? 0) + 1);
            cb();
          }, cb);
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  };
  const down = async () => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return {
    url: `smtp://127.0.0.1:${port}`, port, received, up, down,
    fileCopiesTo: (target: SentCopyTarget) => { copies = target; },
  };
}
