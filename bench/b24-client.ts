// One of the two bench:b24 processes: joins the shared Bitrix24 call queue (pacer, batcher),
// makes its share of the burst (logical calls of mixed kinds), then, once the parent says go,
// sends bot messages at random moments. Writes what it queued, and when, to its result file.
// argv: name, burst count, steady seconds, steady messages/s, seed, bot identity (JSON), result file.
import fs from 'node:fs';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../main/logger.js';
import { openCoreServices } from '../main/services.js';
import { runBitrix24 } from '../main/run-bitrix24.js';
import { sendMessage, updateMessage, type BotIdentity } from '../connectors/bitrix24/imbot.js';
import { seededRandom } from '../sandbox/portal-context.js';
import { poissonArrivals } from './bench-result.js';

const [name, burstArg, secondsArg, rateArg, seedArg, botJson, resultFile] = process.argv.slice(2);
const config = loadConfig(process.env);
const core = await openCoreServices(config);
const runtime = (await runBitrix24(config, core, createLogger('warn', name), { processCalls: true, runBot: false }))!;
const bot = JSON.parse(botJson) as BotIdentity;
const b24 = runtime.b24;
const users = [3, 4, 5, 6];
const posted = new Map<number, Promise<number>>();
const issued: Record<string, number> = {};
const count = (method: string) => { issued[method] = (issued[method] ?? 0) + 1; };

/** Mixed kinds, as the bot makes them: posts, edits of its posts, staff and department reads, tasks. */
async function logicalCall(i: number): Promise<void> {
  const user = String(users[i % users.length]);
  switch (i % 5) {
    case 0: {
      count('imbot.v2.Chat.Message.send');
      const id = sendMessage(b24, bot, user, `${name} message ${i}`, null, `${name}-send-${i}`);
      posted.set(i, id);
      await id;
      return;
    }
    case 1: {
      const id = await posted.get(i - 1)!;
      count('imbot.v2.Chat.Message.update');
      await updateMessage(b24, bot, id, `${name} message ${i - 1} (edited)`, null, `${name}-edit-${i}`);
      return;
    }
    case 2: count('user.get'); await b24.call('user.get', { FILTER: { ACTIVE: true } }); return;
    case 3: count('department.get'); await b24.call('department.get', {}); return;
    default:
      count('tasks.task.add');
      await b24.call('tasks.task.add', { fields: { TITLE: `${name} task ${i}`, RESPONSIBLE_ID: 7 } }, `${name}-task-${i}`);
  }
}

/** Bot messages at random moments; each notes when it was queued (handed to the call queue). */
async function steady(seconds: number, perSecond: number): Promise<Array<{ text: string; queuedAt: number }>> {
  const start = Date.now();
  const queued: Array<{ text: string; queuedAt: number }> = [];
  const sends: Array<Promise<number>> = [];
  for (const [k, at] of poissonArrivals(perSecond, seconds, seededRandom(Number(seedArg))).entries()) {
    await new Promise((r) => setTimeout(r, Math.max(0, start + at - Date.now())));
    const text = `${name} steady ${k}`;
    count('imbot.v2.Chat.Message.send');
    queued.push({ text, queuedAt: Date.now() });
    sends.push(sendMessage(b24, bot, String(users[k % users.length]), text, null, `${name}-steady-${k}`));
  }
  await Promise.all(sends);
  return queued;
}

const burst = Number(burstArg);
const burstStart = Date.now();
await Promise.all(Array.from({ length: burst }, (_, i) => logicalCall(i)));
fs.writeFileSync(`${resultFile}.burst`, JSON.stringify([burstStart, Date.now()]));
while (!fs.existsSync(`${resultFile}.go`)) await new Promise((r) => setTimeout(r, 20));
const queued = await steady(Number(secondsArg), Number(rateArg));
fs.writeFileSync(resultFile, JSON.stringify({ burst, issued, steady: queued }));
await runtime.stop();
await core.close();
process.exit(0);
