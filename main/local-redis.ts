import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureDebianPackages } from './ensure-debian-packages.js';
import { freePort, waitFor } from './free-port.js';

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port: with its data, or empty (`wipe`). */
  restart(opts?: { wipe?: boolean }): Promise<LocalRedis>;
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
 * Starts a private redis-server on loopback (demo, tests and benchmarks), persisted the way
 * production is told to run Redis (README "Redis"): append-only file, fsync every second, so
 * jobs and schedules survive a restart. `restart` starts it again on the same port, with its
 * data or (`wipe`) without, as after a restart without persistence or a failover.
 */
export async function startLocalRedis(dir: string, opts: { port?: number } = {}): Promise<LocalRedis> {
  ensureDebianPackages([{ file: '/usr/bin/redis-server', pkg: 'redis-server' }]);
  fs.mkdirSync(dir, { recursive: true });
  const port = opts.port ?? await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--loglevel', 'warning'];
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
  const stop = () => new Promise<void>((resolve) => {
    process.removeListener('exit', reap);
    if (exited) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async (o = {}) => {
      await stop();
      if (o.wipe) fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true, force: true });
      return startLocalRedis(dir, { port });
    },
  };
}
