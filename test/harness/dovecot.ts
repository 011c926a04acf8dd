import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from '../../main/ensure-debian-packages.js';
import { freePort, waitFor } from '../../main/free-port.js';

/** Every user logs in with this password; each test uses a fresh user, so a fresh mailbox. */
export const DOVECOT_PASSWORD = 'test';

export interface LocalDovecot {
  host: string;
  port: number;
  /** imap:// URL for one mailbox user, as our IMAP_URLS setting takes it. */
  urlFor(user: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(1000, () => { sock.destroy(); resolve(false); });
    sock.on('error', () => resolve(false));
    sock.on('data', (d) => { sock.destroy(); resolve(d.toString().startsWith('* OK')); });
  });
}

/** Standalone Dovecot IMAP on loopback: passwd-file/static auth, maildirs in a temp folder. */
export async function startDovecot(): Promise<LocalDovecot> {
  ensureDebianPackages([{ file: '/usr/sbin/dovecot', pkg: 'dovecot-imapd' }]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-dovecot-'));
  fs.chmodSync(dir, 0o755); // 0700 gives "Temporary authentication failure"
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, d));
  const uid = process.getuid?.() === 0 ? 5999 : process.getuid!();
  const gid = process.getuid?.() === 0 ? 5999 : process.getgid!();
  if (process.getuid?.() === 0) fs.chownSync(path.join(dir, 'mail'), uid, gid);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = 1000
passdb {
  driver = static
  args = password=${DOVECOT_PASSWORD}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`);
  let child: ChildProcess | undefined;
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    // A plain SIGTERM leaves imap processes holding clients ~10 s: kill the whole group.
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ }
    await exited;
    await waitFor('dovecot port release', async () => !(await greets(port)));
  };
  const start = async () => {
    child = spawn('dovecot', ['-c', path.join(dir, 'dovecot.conf'), '-F'], { stdio: 'ignore', detached: true });
    await waitFor('dovecot', () => greets(port));
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    urlFor: (user) => `imap://${encodeURIComponent(user)}:${DOVECOT_PASSWORD}@127.0.0.1:${port}/INBOX`,
    stop,
    start,
    close: async () => { await stop(); fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10 }); },
  };
}
