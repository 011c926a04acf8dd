// The settings that connect the app to a sandbox portal (sandbox/): the demo, the benchmarks and
// the tests all wire it the same way, so they share this one place.
import fs from 'node:fs';
import path from 'node:path';
import type { Sandbox } from '../sandbox/index.js';

export interface SandboxEnvOptions {
  /** Our bot's token for the inbound webhook (webhook mode). */
  botToken?: string;
  /** A local application instead of the webhook: the portal is also the OAuth server. */
  oauth?: { clientId: string; clientSecret: string; publicUrl: string };
}

/**
 * The sandbox as the app's portal: its CA written to `dir` (the portal serves HTTPS with its own
 * certificate), user 1's webhook or the given OAuth app, and the sample portal's roles (the
 * dispatcher and the director share the dispatch chat, lines 1 and 2 take tickets, department 4
 * is the developers; see `sampleRoles`).
 */
export function sandboxEnv(sandbox: Sandbox, dir: string, o: SandboxEnvOptions = {}): Record<string, string> {
  const caFile = path.join(dir, 'sandbox-ca.pem');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(caFile, sandbox.caCertPem);
  const portal: Record<string, string> = o.oauth
    ? {
      B24_CLIENT_ID: o.oauth.clientId, B24_CLIENT_SECRET: o.oauth.clientSecret, B24_PUBLIC_URL: o.oauth.publicUrl,
      B24_PORTAL_URL: sandbox.baseUrl, B24_OAUTH_SERVER_URL: sandbox.baseUrl,
    }
    : { B24_WEBHOOK_URL: sandbox.webhookUrl(1), B24_BOT_TOKEN: o.botToken ?? 'sandbox-bot-token' };
  return {
    ...portal, B24_CA_FILE: caFile,
    BOT_DISPATCHERS: '2,1', BOT_SUPPORT_DEPARTMENTS: '2,3', BOT_DEVELOPER_DEPARTMENT: '4',
  };
}
