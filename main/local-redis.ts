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

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A redis-server a previous run left on `dir` (its process was killed outright) is stopped
 * before a new one starts there: two servers appending to one file would corrupt it. The pid
 * file is only believed for a redis-server working in that very folder (a pid may be reused).
 */
async function stopLeftover(dir: string, pidFile: string): Promise<void> {
  const pid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : NaN);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis-server')) return;
    if (fs.readlinkSync(`/proc/${pid}/cwd`) !== fs.realpathSync(dir)) return;
  } catch {
    return;
  }
  process.kill(pid, 'SIGTERM');
  for (const until = Date.now() + 10_000; alive(pid) && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Starts a private redis-server on loopback (demo, tests and benchmarks), persisted the way
 * production is told to run Redis (README "Redis"): append-only file, fsync every second, so
 * jobs and schedules survive a restart. `restart` starts it again on the same port, with its
 * data or (`wipe`) without, as after a restart without persistence or a failover.
 *
 * `ownProcessGroup` (the demo): Ctrl-C, a service manager or `timeout` signal the whole
 * process group, and a Redis stopped in the same instant as us would leave our graceful stop
 * waiting on a server that is gone. In a group of its own it hears only our `stop()`, which
 * comes after everything using it has closed; a leftover of a run killed outright is found
 * by its pid file and stopped at the next start.
 */
export async function startLocalRedis(dir: string, opts: { port?: number; ownProcessGroup?: boolean } = {}): Promise<LocalRedis> {
  ensureDebianPackages([{ file: '/usr/bin/redis-server', pkg: 'redis-server' }]);
  fs.mkdirSync(dir, { recursive: true });
  // Absolute: redis-server writes it after moving into --dir.
  const pidFile = path.resolve(dir, 'redis.pid');
  await stopLeftover(dir, pidFile);
  const port = opts.port ?? await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--loglevel', 'warning', '--pidfile', pidFile];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore', detached: opts.ownProcessGroup ?? false });
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
      return startLocalRedis(dir, { ...opts, port });
    },
  };
}
