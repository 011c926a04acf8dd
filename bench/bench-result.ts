// What the throughput benchmarks share: the result line and how the run ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The throughput figures both benchmarks print, `count` under the name of what was counted. */
export function throughputResult(unit: 'messages' | 'reports', count: number, seconds: number, ceilingSeconds: number,
  peakRssMb: number): Record<string, number> {
  const rate = count / seconds;
  const ceilingRate = count / ceilingSeconds;
  return {
    [unit]: count, seconds: round(seconds, 3), rate: round(rate, 1), ceiling_rate: round(ceilingRate, 1),
    ratio: round(rate / ceilingRate, 3), peak_rss_mb: round(peakRssMb, 1),
  };
}

/**
 * Runs a benchmark, always cleans up, prints its JSON as stdout's last line, and exits even
 * if some library still holds a handle after the cleanup.
 */
export async function runBench(main: () => Promise<Record<string, number>>, cleanUp: () => Promise<void>,
  log: (msg: string) => void): Promise<void> {
  let result: Record<string, number> | null = null;
  try {
    result = await main();
  } catch (err) {
    process.exitCode = 1;
    log(`failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await cleanUp();
  }
  if (result) process.stdout.write(`${JSON.stringify(result)}\n`);
  setTimeout(() => {
    log('handles still open after cleanup; exiting anyway');
    process.exit(process.exitCode ?? 0);
  }, 5000).unref();
}

/** What a benchmark started, undone in reverse order at the end, whatever happened. */
export function makeCleanups(log: (msg: string) => void) {
  const list: Array<() => Promise<unknown>> = [];
  return {
    add(...fns: Array<() => Promise<unknown>>): void { list.push(...fns); },
    tempDir(prefix: string): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      list.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    async run(): Promise<void> {
      for (const c of list.splice(0).reverse()) await c().catch((err: Error) => log(`cleanup: ${err.message}`));
    },
  };
}

/** The p-th percentile (0..100) of `xs`, nearest rank; NaN when empty. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The median, as the benchmarks that repeat a run report it. */
export const median = (xs: number[]) => percentile(xs, 50);

/**
 * Arrival times (ms from the start) of a Poisson stream: `perSecond` on average for `seconds`,
 * at random moments, as independent senders arrive (not a metronome, which hides queueing).
 */
export function poissonArrivals(perSecond: number, seconds: number, random: () => number): number[] {
  const times: number[] = [];
  for (let t = -Math.log(1 - random()) / perSecond; t < seconds; t += -Math.log(1 - random()) / perSecond) times.push(t * 1000);
  return times;
}
