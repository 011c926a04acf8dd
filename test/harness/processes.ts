import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs one of our entry points (main/*.ts) as a real child process with the given settings.
 * `ownGroup`: in a process group of its own (its pid is the group's), as a terminal or a
 * service manager starts it, so a signal can go to the whole group as Ctrl-C sends it.
 */
export function spawnEntry(entry: 'intake' | 'worker' | 'web' | 'demo', env: Record<string, string>,
  opts: { ownGroup?: boolean } = {}): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', `main/${entry}.ts`], {
    cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.ownGroup ?? false,
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.output.push(d.toString()));
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function kill9(...children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => { c.kill('SIGKILL'); return exited(c); }));
}
