// One of the two bench:b24 processes: joins the shared Bitrix24 call queue (pacer, batcher)
// and makes its share of logical calls of mixed kinds. Reports {"done": n} on stdout.
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../main/logger.js';
import { openCoreServices } from '../main/services.js';
import { runBitrix24 } from '../main/run-bitrix24.js';
import { sendMessage, updateMessage, type BotIdentity } from '../connectors/bitrix24/imbot.js';

const [name, countArg, botJson] = process.argv.slice(2);
const config = loadConfig(process.env);
const core = await openCoreServices(config);
const runtime = (await runBitrix24(config, core, createLogger('warn', name), { processCalls: true, runBot: false }))!;
const bot = JSON.parse(botJson) as BotIdentity;
const b24 = runtime.b24;
const users = [3, 4, 5, 6];

const posted = new Map<number, Promise<number>>();

/** Mixed kinds, as the bot makes them: posts, edits of its posts, staff and task reads, tasks. */
async function logicalCall(i: number): Promise<void> {
  const user = String(users[i % users.length]);
  switch (i % 5) {
    case 0: {
      const id = sendMessage(b24, bot, user, `${name} message ${i}`, null, `${name}-send-${i}`);
      posted.set(i, id);
      await id;
      return;
    }
    case 1: {
      const id = await posted.get(i - 1)!;
      await updateMessage(b24, bot, id, `${name} message ${i - 1} (edited)`, null, `${name}-edit-${i}`);
      return;
    }
    case 2: await b24.call('user.get', { FILTER: { ACTIVE: true } }); return;
    case 3: await b24.call('department.get', {}); return;
    default: await b24.call('tasks.task.add', { fields: { TITLE: `${name} task ${i}`, RESPONSIBLE_ID: 7 } }, `${name}-task-${i}`);
  }
}

const count = Number(countArg);
await Promise.all(Array.from({ length: count }, (_, i) => logicalCall(i)));
process.stdout.write(`${JSON.stringify({ done: count })}\n`);
await runtime.stop();
await core.close();
process.exit(0);
