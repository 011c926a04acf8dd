import fs from 'node:fs';

/** VmRSS of one process in kB, or null once it is gone. */
export function readRssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export interface RssPeaks {
  /** Highest sum over all the processes at one sample (what the machine had to hold at once). */
  peakSumKb: number;
  /** Highest value seen per process. */
  peakPerPidKb: Map<number, number>;
  samples: number;
}

/**
 * Samples /proc/<pid>/status VmRSS of the given processes every `everyMs` until stopped.
 * Pids can be added later (processes spawned after the sampler started).
 */
export function sampleRss(everyMs = 100): { add(pid: number): void; stop(): RssPeaks } {
  const pids = new Set<number>();
  const peaks: RssPeaks = { peakSumKb: 0, peakPerPidKb: new Map(), samples: 0 };
  const tick = () => {
    let sum = 0;
    for (const pid of pids) {
      const kb = readRssKb(pid);
      if (kb === null) continue;
      sum += kb;
      peaks.peakPerPidKb.set(pid, Math.max(peaks.peakPerPidKb.get(pid) ?? 0, kb));
    }
    peaks.peakSumKb = Math.max(peaks.peakSumKb, sum);
    peaks.samples++;
  };
  const timer = setInterval(tick, everyMs);
  return {
    add: (pid) => { pids.add(pid); tick(); },
    stop: () => { clearInterval(timer); tick(); return peaks; },
  };
}
