import { sampleRoles, type Sandbox } from '../../sandbox/index.js';
import { loadConfig } from '../../config/load-config.js';
import { createLogger } from '../../main/logger.js';
import { openCoreServices, type CoreServices } from '../../main/services.js';
import { runBitrix24, type Bitrix24Runtime } from '../../main/run-bitrix24.js';
import { botHealPorts } from '../../main/bot-heal-ports.js';
import type { HealPorts } from '../../bot/bot-healer.js';
import { getState } from '../../tickets/store/state-repo.js';
import { DISPATCH_GENERATION } from '../../bot/redispatch-open-tickets.js';
import { makeTestEnv, withSandbox } from '../harness/app.js';
import { startTestSandbox } from '../harness/test-portal.js';
import { SmtpSink } from '../harness/smtp-sink.js';

// Two worker processes on one database and one Redis, meeting the same portal: each has its own
// database pool and its own Bitrix24 call processor, as two `npm run worker` would.
interface Worker { core: CoreServices; b24: Bitrix24Runtime; ports: HealPorts }

let sandbox: Sandbox;
let smtp: SmtpSink;
const workers: Worker[] = [];
beforeAll(async () => {
  sandbox = await startTestSandbox();
  smtp = await SmtpSink.start();
  const t = withSandbox(await makeTestEnv({ smtp, engine: 'postgres' }), sandbox);
  const config = loadConfig(t.env);
  const log = createLogger('silent', 'test');
  for (let i = 0; i < 2; i++) {
    const core = await openCoreServices(config, log);
    const b24 = (await runBitrix24(config, core, log, { processCalls: true, runBot: false }))!;
    workers.push({ core, b24, ports: botHealPorts(config, core, b24.b24) });
  }
}, 300_000);
afterAll(async () => {
  for (const w of workers) {
    await w.b24.stop();
    await w.core.close();
  }
  await smtp?.down();
  await sandbox?.close();
});

/** The dispatch chats on the portal, as the dispatcher is in them. */
const dispatchChats = () => [...sandbox.portal.state.data.chats.values()]
  .filter((c) => c.title === 'Диспетчерская поддержки' && c.memberIds.includes(sampleRoles.dispatcher)).map((c) => `chat${c.id}`);
const [a, b] = [0, 1].map((i) => () => workers[i]);
const recorded = async (botId: number) => getState<string>(a().core.db, `bot.dispatch-dialog.${botId}`);

test('two workers that meet a new bot at the same start make one dispatch chat, whichever looks first', async () => {
  // Both ask for the bot before either made a chat: both are told it is new.
  const [botA, botB] = [await a().ports.register(), await b().ports.register()];
  expect([botA.fresh, botB.fresh]).toEqual([true, true]);
  expect(botB.botId).toBe(botA.botId);
  // One makes the chat and records it; the other looks only then.
  const chatA = await a().ports.dispatchDialog(botA, null);
  const chatB = await b().ports.dispatchDialog(botB, null);
  expect(chatB).toBe(chatA);
  expect(dispatchChats()).toEqual([chatA]);
  expect(await recorded(botA.botId)).toBe(chatA);
});

test('after the portal started over, workers deciding at once make one new chat, though the portal hands out the old id again', async () => {
  const before = dispatchChats();
  const generation = (await getState<number>(a().core.db, DISPATCH_GENERATION)) ?? 0;
  sandbox.reset();
  expect(dispatchChats()).toEqual([]);
  const bots = await Promise.all([a().ports.register(), b().ports.register()]);
  expect(bots.map((bot) => bot.fresh)).toEqual([true, true]);
  const chats = await Promise.all([a().ports.dispatchDialog(bots[0], null), b().ports.dispatchDialog(bots[1], null)]);
  expect(chats[1]).toBe(chats[0]);
  // The new portal numbers its chats from the start: the new chat has the old one's id, and it is still new to us.
  expect(dispatchChats()).toEqual(before);
  expect(await recorded(bots[0].botId)).toBe(chats[0]);
  expect(await getState<number>(a().core.db, DISPATCH_GENERATION)).toBe(generation + 1);
});

test('a worker that starts later, when the bot is in its chat already, keeps that chat', async () => {
  const chat = dispatchChats()[0];
  const bot = await b().ports.register();
  expect(bot.fresh).toBe(false);
  expect(await b().ports.dispatchDialog(bot, null)).toBe(chat);
  expect(dispatchChats()).toEqual([chat]);
});
