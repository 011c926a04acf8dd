import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface DebianNeed {
  /** Absolute path of a file the package installs; its presence means "installed". */
  file: string;
  pkg: string;
}

/**
 * Installs missing Debian packages with apt-get. Nothing here is containerised, so the demo
 * and the test harness bring their own redis-server, PostgreSQL and Dovecot this way.
 */
export function ensureDebianPackages(needs: DebianNeed[]): void {
  const missing = needs.filter((n) => !fs.existsSync(n.file)).map((n) => n.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(', ')} (install them, or run as root to let us do it)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'ignore', env });
}
