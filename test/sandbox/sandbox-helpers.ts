import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiVersion, B24Hook, type TypeB24 } from '@bitrix24/b24jssdk';
import type { Sandbox } from '../../sandbox/index.js';

/** The official SDK on a sandbox webhook, trusting the sandbox certificate (services.md §8). */
export function hookClient(sandbox: Sandbox, url = sandbox.webhookUrl(1)): B24Hook {
  const b24 = B24Hook.fromWebhookUrl(url);
  trustSandbox(b24, sandbox);
  return b24;
}

export function trustSandbox(b24: TypeB24, sandbox: Sandbox): void {
  const agent = new https.Agent({ ca: sandbox.caCertPem });
  b24.getHttpClient(ApiVersion.v2).ajaxClient.defaults.httpsAgent = agent;
  b24.getHttpClient(ApiVersion.v3).ajaxClient.defaults.httpsAgent = agent;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

/** A plain HTTPS request to the sandbox, for what the SDK hides (status codes, bodies). */
export function rawRequest(
  sandbox: Sandbox,
  path: string,
  opts: { method?: string; body?: string; contentType?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${sandbox.baseUrl}${path}`, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      ca: sandbox.caCertPem,
      headers: opts.body === undefined ? {} : { 'content-type': opts.contentType ?? 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The webhook's path part: `/rest/1/secret/`. */
export function webhookPath(sandbox: Sandbox, userId = 1): string {
  return new URL(sandbox.webhookUrl(userId)).pathname;
}

export interface CapturedPush {
  contentType: string;
  body: string;
}

/** A local HTTP handler that records what Bitrix24 (here: the sandbox) POSTs to it. */
export async function startPushReceiver(): Promise<{ url: string; pushes: CapturedPush[]; close(): Promise<void> }> {
  const pushes: CapturedPush[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushes.push({ contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      res.end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/handler`,
    pushes,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Registers a fetch-mode (or webhook-mode) bot and a hidden command through the SDK. */
export async function registerBot(
  b24: B24Hook,
  opts: { code: string; botToken: string; eventMode?: 'fetch' | 'webhook'; webhookUrl?: string; command?: string },
): Promise<{ botId: number; commandId: number }> {
  const reg = await b24.actions.v2.call.make<{ bot: { id: number } }>({
    method: 'imbot.v2.Bot.register',
    params: {
      fields: {
        code: opts.code, botToken: opts.botToken, eventMode: opts.eventMode ?? 'fetch', webhookUrl: opts.webhookUrl,
        properties: { name: 'Modest', lastName: 'Bot', workPosition: 'Support desk' },
      },
    },
  });
  const botId = reg.getData()!.result.bot.id;
  const cmd = await b24.actions.v2.call.make<{ command: { id: number } }>({
    method: 'imbot.v2.Command.register',
    params: { botId, botToken: opts.botToken, fields: { command: opts.command ?? 'ticket', hidden: true } },
  });
  return { botId, commandId: cmd.getData()!.result.command.id };
}
