import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { exited, kill9, spawnEntry } from '../harness/processes.js';
import { freePort } from '../../main/free-port.js';
import { eventually } from '../harness/wait.js';

// The demo (`npm start`) as a user runs it: its own PGlite, SMTP outbox and sandbox portal in
// one data folder; only Redis is the test's (own queue prefix). Port and folder stay the same
// across starts, as on a user's machine.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modest-demo-'));
const prefix = `demo${crypto.randomBytes(3).toString('hex')}`;
let env: Record<string, string>;
let running: ReturnType<typeof spawnEntry> | null = null;
beforeAll(async () => {
  env = {
    DATA_DIR: dataDir, HTTP_PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()),
    REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', BOT_TICK_SECONDS: '0.5',
  };
});
afterAll(async () => {
  if (running) await kill9(running);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const DISPATCHER = 2;
type Message = { id: number; text: string; authorId: number; params: { KEYBOARD?: Array<{ TEXT?: string }> } };
const buttons = (m: Message) => (m.params.KEYBOARD ?? []).map((b) => b.TEXT).filter(Boolean);

/** The sandbox's test API, trusting the certificate the demo wrote into the data folder. */
function sandboxApi<T>(apiPath: string): Promise<T> {
  const ca = fs.readFileSync(path.join(dataDir, 'sandbox-ca.pem'));
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: Number(env.SANDBOX_PORT), path: `/sandbox/api${apiPath}`, ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${res.statusCode} ${body}`))));
    }).on('error', reject);
  });
}

async function startDemo(): Promise<void> {
  running = spawnEntry('demo', env);
  const child = running;
  await eventually('the demo ready', async () => {
    if (child.exitCode !== null) throw new Error(`demo exited: ${child.output.join('')}`);
    return (await fetch(`http://127.0.0.1:${env.HTTP_PORT}/readyz`).catch(() => null))?.status === 200;
  }, 300_000).catch((err: Error) => { throw new Error(`${err.message}\n${child.output.join('').slice(-3000)}`); });
}

async function stopDemo(): Promise<void> {
  running!.kill('SIGTERM');
  expect(await exited(running!)).toBe(0);
  running = null;
}

/** The dispatch chats the dispatcher is in, as the sandbox shows them. */
async function dispatchChats(): Promise<string[]> {
  const chats = await sandboxApi<Array<{ dialogId: string; title: string }>>(`/users/${DISPATCHER}/chats`);
  return chats.filter((c) => c.title === 'Диспетчерская поддержки').map((c) => c.dialogId);
}

const messagesIn = (dialogId: string) => sandboxApi<Message[]>(`/dialog-messages?userId=${DISPATCHER}&dialogId=${dialogId}`);

/** Drops a mail into the demo's drop folder and waits for its card in the dispatch chat. */
async function mailReachesDispatch(subject: string): Promise<{ dialogId: string; card: Message }> {
  const raw = `From: Ольга <olga@romashka.example>\r\nTo: support@modest.example\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@romashka.example>\r\n`
    + 'Content-Type: text/plain; charset=utf-8\r\n\r\nПодробности внутри.\r\n';
  fs.writeFileSync(path.join(dataDir, 'inbox', `${crypto.randomUUID()}.eml`), raw);
  return eventually(`"${subject}" in the dispatch chat`, async () => {
    for (const dialogId of await dispatchChats()) {
      const card = (await messagesIn(dialogId)).find((m) => m.text.includes(subject) && !m.text.startsWith('Не назначено'));
      if (card) return { dialogId, card };
    }
    return null;
  }, 180_000);
}

test('the demo restarted on its data folder comes back as it was, and heals when its portal was emptied', async () => {
  await startDemo();
  const first = await mailReachesDispatch('Первый запуск: не работает CRM');
  // The portal's own departments, once each: the demo seed invents none.
  expect(buttons(first.card)).toEqual(['1st line', '2nd line', 'Не обращение']);
  const state = path.join(dataDir, 'sandbox', 'state.json');
  expect(fs.existsSync(state)).toBe(true);
  await stopDemo();

  // Same data folder: the same portal with the same chat and messages, the same bot.
  await startDemo();
  const second = await mailReachesDispatch('Второй запуск: не приходит почта');
  expect(second.dialogId).toBe(first.dialogId);
  expect(second.card.authorId).toBe(first.card.authorId);
  expect((await messagesIn(first.dialogId)).map((m) => m.id)).toContain(first.card.id);
  expect(await dispatchChats()).toEqual([first.dialogId]);
  await stopDemo();

  // The portal started over (its state file gone), our database kept: the bot heals.
  fs.rmSync(state);
  await startDemo();
  const third = await mailReachesDispatch('Третий запуск: портал сброшен');
  // The tickets still open are posted to the new chat, and the dispatchers are told once.
  const now = await eventually('the open tickets posted again', async () => {
    const messages = await messagesIn(third.dialogId);
    const cards = ['Первый запуск', 'Второй запуск'].filter((s) => messages.some((m) => m.text.includes(s) && !m.text.startsWith('Не назначено')));
    return cards.length === 2 ? messages : null;
  }, 120_000).catch((err: Error) => { throw new Error(`${err.message}\n${running!.output.join('').slice(-4000)}`); });
  expect(now.filter((m) => m.text.startsWith('Прежний чат диспетчерской недоступен'))).toHaveLength(1);
  await stopDemo();
}, 1_500_000);
