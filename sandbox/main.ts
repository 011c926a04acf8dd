import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startSandbox } from './start-sandbox.js';

/**
 * Runs the stand-in portal on its own: `node --import tsx sandbox/main.ts [--port N] [--host H]`.
 * Prints one JSON line with the webhook URL, the messenger page and the CA certificate file.
 */
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const log = pino({ name: 'sandbox', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
  const port = flag('port');
  const sandbox = await startSandbox({ host: flag('host'), port: port ? Number(port) : 0 });
  const caCertFile = path.join(os.tmpdir(), `modest-sandbox-${process.pid}.pem`);
  fs.writeFileSync(caCertFile, sandbox.caCertPem);
  log.info({
    baseUrl: sandbox.baseUrl,
    webhookUrl: sandbox.webhookUrl(1),
    messengerUrl: sandbox.messengerUrl,
    testApiUrl: `${sandbox.baseUrl}/sandbox/api`,
    caCertFile,
  }, 'sandbox ready');
  const stop = async () => {
    await sandbox.close();
    fs.rmSync(caCertFile, { force: true });
    log.info('sandbox stopped');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(JSON.stringify({ level: 60, msg: 'sandbox failed to start', err: String(err) }));
  process.exit(1);
});
