import { ImapFlow } from 'imapflow';

export interface ImapLogin { host: string; port: number; user: string; pass: string }

/** A connected client for the benchmarks' loopback Dovecot (plain IMAP, no logging). */
export async function connectImap(login: ImapLogin): Promise<ImapFlow> {
  const client = new ImapFlow({ host: login.host, port: login.port, secure: false, auth: { user: login.user, pass: login.pass }, logger: false });
  await client.connect();
  return client;
}

/**
 * Appends raw messages to `folder` over `connections` parallel IMAP connections (imapflow runs
 * one command at a time per connection). The order of UIDs is not the order of `raws`.
 */
export async function fillMailbox(login: ImapLogin, folder: string, raws: Buffer[], connections = 4): Promise<void> {
  const lanes = Array.from({ length: Math.min(connections, raws.length) }, (_, k) => raws.filter((_, i) => i % connections === k));
  await Promise.all(lanes.map(async (lane) => {
    const client = await connectImap(login);
    try {
      for (const raw of lane) await client.append(folder, raw);
    } finally {
      await client.logout();
    }
  }));
}

/** Number of messages in `folder`. */
export async function countMessages(login: ImapLogin, folder: string): Promise<number> {
  const client = await connectImap(login);
  try {
    const status = await client.status(folder, { messages: true });
    return status ? status.messages ?? 0 : 0;
  } finally {
    await client.logout();
  }
}
