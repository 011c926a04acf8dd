import { SMTPServer } from 'smtp-server';

/**
 * An SMTP listener that accepts and discards every mail. The test harness's sink parses each
 * mail with mailparser, which would take CPU from the pipeline being measured.
 */
export async function startNullSmtp(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData: (stream, _session, cb) => {
      stream.on('end', () => { received++; cb(); });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
