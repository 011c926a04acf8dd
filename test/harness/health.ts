import express from 'express';
import { healthRouter, listen, type ReadinessCheck } from '../../main/health-server.js';

/** A health server of the test's own, and its /readyz answer read as `B`. */
export interface TestHealthServer {
  port: number;
  close(): Promise<void>;
  readyz<B>(): Promise<{ status: number; body: B }>;
}

/** Serves these readiness checks on a free port through the same router the processes use. */
export async function serveHealth(checks: Record<string, ReadinessCheck>): Promise<TestHealthServer> {
  const web = express();
  web.use(healthRouter(checks));
  const { port, close } = await listen(web, 0);
  return {
    port,
    close,
    readyz: async <B>() => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: res.status, body: await res.json() as B };
    },
  };
}
