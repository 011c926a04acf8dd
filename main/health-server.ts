import http from 'node:http';
import express from 'express';

export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: unknown }>;

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (503 otherwise), with
 * each check's detail so an administrator sees which one is down.
 */
export function healthRouter(checks: Record<string, ReadinessCheck>): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, await withTimeout(check(), 2000)] as const;
      } catch (err) {
        return [name, { ok: false, detail: (err as Error).message }] as const;
      }
    }));
    const ready = results.every(([, r]) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

export async function listen(app: express.Express, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
