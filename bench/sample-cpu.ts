import fs from 'node:fs';

// CPU time accounting for the benchmark's report: user+system time of every process under
// this one (the pipeline's node processes, PostgreSQL, Redis, Dovecot), and of the whole
// machine, so time taken by unrelated processes on a shared machine shows up too.

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on Linux x86-64 and arm64

interface ProcTicks { ppid: number; comm: string; ticks: number; sysTicks: number; ownTicks: number }

function readStat(pid: string): ProcTicks | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm) ", counted from state = 0: ppid 1, utime 11, stime 12, and the time
    // of its children that ended and were reaped, cutime 13, cstime 14 (so a process that ended
    // between two snapshots still counts, in its parent).
    return {
      ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]), sysTicks: Number(f[12]) + Number(f[14]),
      ownTicks: Number(f[11]) + Number(f[12]),
    };
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  at: number;
  /** pid -> {comm, ticks (user + system), system ticks} for this process and all its descendants. */
  procs: Map<number, { comm: string; ticks: number; sysTicks: number }>;
  machineBusy: number;
  machineTotal: number;
}

export function snapshotCpu(root = process.pid): CpuSnapshot {
  const all = new Map<number, ProcTicks>();
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const st = readStat(p);
    if (st) all.set(Number(p), st);
  }
  const procs: CpuSnapshot['procs'] = new Map();
  const isUnder = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; hops++) {
      if (p === root) return true;
      p = all.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, st] of all) if (isUnder(pid)) procs.set(pid, { comm: st.comm, ticks: st.ticks, sysTicks: st.sysTicks });
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { at: Date.now(), procs, machineBusy: total - idle, machineTotal: total };
}

/**
 * CPU seconds spent between two snapshots, grouped: the pids in `names` under their name,
 * everything else under its command (postgres, redis-server, imap, dovecot...); `system`: the
 * kernel's part of each group. A process that ended in between counts in its parent's group.
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, names: Map<number, string>): {
  groups: Record<string, number>; system: Record<string, number>; ours: number; machineBusy: number; others: number; wall: number;
} {
  const groups: Record<string, number> = {};
  const system: Record<string, number> = {};
  let ours = 0;
  for (const [pid, p] of b.procs) {
    const before = a.procs.get(pid);
    const d = (p.ticks - (before?.ticks ?? 0)) / TICKS_PER_SECOND;
    const name = names.get(pid) ?? (pid === process.pid ? 'bench' : p.comm);
    groups[name] = (groups[name] ?? 0) + d;
    system[name] = (system[name] ?? 0) + (p.sysTicks - (before?.sysTicks ?? 0)) / TICKS_PER_SECOND;
    ours += d;
  }
  const machineBusy = (b.machineBusy - a.machineBusy) / TICKS_PER_SECOND;
  return { groups, system, ours, machineBusy, others: Math.max(0, machineBusy - ours), wall: (b.at - a.at) / 1000 };
}

/** CPU ticks of each thread of one process (`/proc/<pid>/task`), by thread id; empty once it is gone. */
export function threadTicks(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const st = readStat(`${pid}/task/${tid}`);
    if (st) out.set(Number(tid), st.ownTicks); // a thread's line repeats its process's reaped children
  }
  return out;
}

/**
 * A process's CPU seconds between two `threadTicks` readings, for the report: its main thread,
 * then every other thread that ran, busiest first (in a node process: worker threads, V8's
 * helper threads for compiling and garbage collection, libuv's pool).
 */
export function describeThreads(pid: number, a: Map<number, number>, b: Map<number, number>): string {
  const spent = (tid: number) => ((b.get(tid) ?? 0) - (a.get(tid) ?? 0)) / TICKS_PER_SECOND;
  const others = [...b.keys()].filter((tid) => tid !== pid).map(spent).filter((s) => s > 0).sort((x, y) => y - x);
  const r = (s: number) => Math.round(s * 100) / 100;
  return `main ${r(spent(pid))}, others ${others.map(r).join(' ')} (sum ${r(spent(pid) + others.reduce((x, y) => x + y, 0))})`;
}
