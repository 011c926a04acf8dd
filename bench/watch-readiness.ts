import http from 'node:http';

/** Ready, or the names of the checks that failed ('no answer' when none came). */
function readyz(port: number): Promise<true | string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => {
        if (res.statusCode === 200) return resolve(true);
        try {
          const checks = (JSON.parse(body) as { checks: Record<string, { ok: boolean; detail?: unknown }> }).checks;
          // The schedules' detail says which one and how long ago it ran.
          const failing = Object.entries(checks).filter(([, c]) => !c.ok)
            .map(([name, c]) => (name === 'schedules' ? `schedules ${JSON.stringify(c.detail)}` : name));
          resolve(failing.join(',') || String(res.statusCode));
        } catch {
          resolve(String(res.statusCode));
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('no answer'));
  });
}

/**
 * Polls each live process's /readyz and keeps the longest stretch it was up (it had been ready
 * once since it started) but not ready. A process being killed or started is not counted: it
 * is not running then, which is the supervisor's business, not readiness's.
 */
export function watchReadiness(everyMs = 500, report: (msg: string) => void = () => {}) {
  const watched = new Map<string, { port: number; wasReady: boolean; unreadySince: number | null; lastChecks?: string }>();
  let maxUnreadyMs = 0;
  let worst = '';
  let worstChecks = '';
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await Promise.all([...watched.entries()].map(async ([name, w]) => {
        const ok = await readyz(w.port);
        if (watched.get(name) !== w) return; // restarted meanwhile
        const now = Date.now();
        if (ok === true) {
          // Each stretch of a few seconds is said as it ends, so the phase that caused it can be told.
          if (w.unreadySince !== null && now - w.unreadySince >= 3000) report(`${name} was unready ${((now - w.unreadySince) / 1000).toFixed(1)} s (${w.lastChecks})`);
          w.wasReady = true;
          w.unreadySince = null;
        } else if (w.wasReady) {
          w.unreadySince ??= now;
          w.lastChecks = ok;
          if (now - w.unreadySince > maxUnreadyMs) { maxUnreadyMs = now - w.unreadySince; worst = name; worstChecks = ok; }
        }
      }));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  const done = loop();
  return {
    /** A process (re)started on `port`: watched from its first ready answer. */
    watch(name: string, port: number) { watched.set(name, { port, wasReady: false, unreadySince: null }); },
    /** About to be killed or stopped on purpose. */
    unwatch(name: string) { watched.delete(name); },
    max(): { seconds: number; process: string; checks: string } { return { seconds: maxUnreadyMs / 1000, process: worst, checks: worstChecks }; },
    async stop() { stopped = true; await done; },
  };
}
