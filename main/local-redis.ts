import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { ensureDebianPackages } from './ensure-debian-packages.js';
import { freePort, waitFor } from './free-port.js';

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(1000, () => { sock.destroy(); resolve(false); });
    sock.on('error', () => resolve(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => { sock.destroy(); resolve(d.toString().startsWith('+PONG')); });
  });
}

/**
 * Starts a private redis-server on loopback (demo and tests). With `persist`, jobs survive a
 * restart of the demo (append-only file in `dir`).
 */
export async function startLocalRedis(dir: string, opts: { persist?: boolean } = {}): Promise<LocalRedis> {
  ensureDebianPackages([{ file: '/usr/bin/redis-server', pkg: 'redis-server' }]);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', opts.persist ? 'yes' : 'no', '--appendfsync', 'everysec', '--loglevel', 'warning'];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => { exited = true; });
  // Not left behind when our process ends without stopping it (a crash, process.exit).
  const reap = () => { if (!exited) child.kill('SIGTERM'); };
  process.once('exit', reap);
  await waitFor('redis-server', async () => {
    if (exited) throw new Error('redis-server exited at start');
    return ping(port);
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      process.removeListener('exit', reap);
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
