import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface EntryProcess {
  name: string;
  child: ChildProcess;
  /** What it printed (stdout and stderr), the last 200 lines. */
  lines: string[];
  /** The last lines it printed (stdout and stderr), for a failure report. */
  tail(): string;
  exited(): boolean;
}

/** Runs a repo file (`main/worker.ts`...) as `node --import tsx`, so `child.pid` is the node process. */
export function spawnEntry(name: string, file: string, env: Record<string, string>,
  o: { nodeArgs?: string[]; args?: string[] } = {}): EntryProcess {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', file, ...(o.args ?? [])], {
    cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    lines.push(...d.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  child.once('exit', () => { gone = true; });
  return { name, child, lines, tail: () => lines.slice(-30).join('\n'), exited: () => gone };
}

function status(port: number, path: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/**
 * Polls `/readyz` every `everyMs` until it answers 200. `notReadyBefore` is when the last poll
 * that did not get 200 was sent: readiness came after it, so a clock started there never
 * starts late.
 */
export async function waitReady(p: EntryProcess, port: number, timeoutMs = 180_000, everyMs = 10): Promise<{ notReadyBefore: number; readyAt: number }> {
  const deadline = Date.now() + timeoutMs;
  let notReadyBefore = Date.now();
  for (;;) {
    if (p.exited()) throw new Error(`${p.name} exited before it was ready:\n${p.tail()}`);
    const sentAt = Date.now();
    if ((await status(port, '/readyz')) === 200) return { notReadyBefore, readyAt: Date.now() };
    notReadyBefore = sentAt;
    if (Date.now() > deadline) {
      const why = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.text(), (err: Error) => err.message);
      throw new Error(`${p.name} not ready within ${timeoutMs} ms: /readyz ${why.slice(0, 2000)}\n${p.tail()}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const stopping = new WeakMap<EntryProcess, Promise<number | null>>();

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). Idempotent. */
export function stopEntry(p: EntryProcess, graceMs = 35_000): Promise<number | null> {
  if (p.exited()) return Promise.resolve(p.child.exitCode);
  let done = stopping.get(p);
  if (!done) {
    done = new Promise((resolve) => {
      const kill = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
      p.child.once('exit', (code) => { clearTimeout(kill); resolve(code); });
      p.child.kill('SIGTERM');
    });
    stopping.set(p, done);
  }
  return done;
}

/** Stops the processes and shows what went wrong in any: an exit code, or its warn+ log lines. */
export async function stopEntries(procs: EntryProcess[], log: (msg: string) => void): Promise<void> {
  const codes = await Promise.all(procs.map((p) => stopEntry(p)));
  procs.forEach((p, k) => {
    const noisy = p.lines.filter((l) => /"level":(4|5|6)0/.test(l));
    if (codes[k] !== 0 || noisy.length > 0) log(`${p.name} exit ${codes[k]}, ${noisy.length} warn+ lines:\n${noisy.slice(-5).join('\n')}`);
  });
}
