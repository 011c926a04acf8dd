import express from 'express';
import { ConfigError, loadConfig, type Config } from '../config/load-config.js';
import { createLogger, type Logger } from './logger.js';
import { healthRouter, listen, type ReadinessCheck } from './health-server.js';
import { finishRoutes } from './http-errors.js';
import { armCrashPoint } from '../workers/crash-point.js';

export interface Started {
  checks: Record<string, ReadinessCheck>;
  stop(): Promise<void>;
  /** Extra routes on the process's HTTP server (the web process serves its pages here). */
  app?: express.Express;
}

/**
 * The life of one process: validated config (one line and exit 1 when wrong), JSON logs,
 * health endpoints, and a graceful stop on SIGTERM/SIGINT.
 */
export async function runProcess(name: string, port: (c: Config) => number,
  start: (config: Config, log: Logger) => Promise<Started>, env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, name, config.logFormat);
  armCrashPoint(config.crashAt);
  process.on('unhandledRejection', (err) => log.error({ err: String(err) }, 'unhandled rejection'));
  let started: Started;
  try {
    started = await start(config, log);
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'start failed');
    process.exit(1);
  }
  const app = started.app ?? express();
  app.disable('x-powered-by');
  // req.ip from X-Forwarded-For only behind a proxy the operator named (HTTP_TRUST_PROXY).
  app.set('trust proxy', config.http.trustProxy);
  app.use(healthRouter(started.checks));
  finishRoutes(app, (f) => (f.status >= 500 ? log.error(f, 'http request failed') : log.warn(f, 'http request refused')));
  const server = await listen(app, port(config));
  log.info({ port: server.port }, `${name} up`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => { log.error('shutdown took too long; exiting'); process.exit(1); }, 30_000).unref();
    try {
      await server.close();
      await started.stop();
      clearTimeout(force);
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
