import { SMTPServer } from 'smtp-server';
import { freePort } from '../main/free-port.js';

/**
 * An SMTP listener that keeps only the Message-ID of each mail it accepts (to count
 * duplicates and misses), and can be stopped and started again on the same port.
 */
export async function startCountingSmtp() {
  const port = await freePort();
  const received = new Map<string, number>();
  let server: SMTPServer | null = null;
  const up = async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'], logger: false, closeTimeout: 500,
      onData: (stream, _session, cb) => {
        let head = '';
        stream.on('data', (d: Buffer) => { if (head.length < 16_384) head += d.toString('latin1'); });
        stream.on('end', () => {
          const id = /^message-id:\s*<([^>]+)>/im.exec(head)?.[1] ?? '';
          received.set(id, (received.get(id) ?? 0) + 1);
          cb();
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
  return { url: `smtp://127.0.0.1:${port}`, received, up, down };
}
