import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';

/**
 * The demo's outgoing mail server: a local SMTP listener that writes every mail it receives
 * as an .eml file into `dir`, so what clients would get can be opened and read.
 */
export async function startDemoOutbox(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], logger: false, closeTimeout: 2000,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^a-z0-9@._,-]/gi, '_');
        fs.writeFile(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${to}.eml`), Buffer.concat(chunks), cb);
      });
    },
  });
  server.on('error', () => { /* a client dropped its connection */ });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
