import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AjaxError } from '@bitrix24/b24jssdk';
import { sampleRoles, startSandbox } from '../../sandbox/index.js';
import { hookClient, registerBot } from './sandbox-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
const stateFile = path.join(dir, 'sandbox', 'state.json');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a sandbox started again on its state file is the same portal: webhook, bot, chat, messages, files, events', async () => {
  const first = await startSandbox({ stateFile, rateLimit: false });
  const b24 = hookClient(first);
  const call = async <T>(method: string, params: Record<string, unknown>) => (await b24.actions.v2.call.make<T>({ method, params })).getData()!.result;
  const { botId } = await registerBot(b24, { code: 'kept', botToken: 'kept-token' });
  const { chat } = await call<{ chat: { id: number; dialogId: string } }>('imbot.v2.Chat.add',
    { botId, botToken: 'kept-token', fields: { title: 'Dispatch', userIds: [sampleRoles.dispatcher] } });
  const sent = await call<{ id: number }>('imbot.v2.Chat.Message.send',
    { botId, botToken: 'kept-token', dialogId: chat.dialogId, fields: { message: 'Сохранится?', keyboard: [{ TEXT: 'Да', COMMAND: 'ticket' }] } });
  await call('imbot.v2.File.upload', { botId, botToken: 'kept-token', dialogId: chat.dialogId, fields: { name: 'a.txt', content: Buffer.from('файл').toString('base64') } });
  first.writeMessage({ userId: sampleRoles.dispatcher, dialogId: String(botId), text: 'событие для бота' });
  const webhookUrl = first.webhookUrl(1);
  const memberId = first.portal.config.memberId;
  const people = (s: typeof first) => s.users().map((u) => [u.id, u.name, u.email, u.active]);
  const users = people(first);
  await first.close();
  expect(fs.existsSync(stateFile)).toBe(true);

  const second = await startSandbox({ stateFile, rateLimit: false, port: Number(new URL(webhookUrl).port) });
  try {
    expect(second.webhookUrl(1)).toBe(webhookUrl);
    expect(second.portal.config.memberId).toBe(memberId);
    expect(people(second)).toEqual(users);
    const again = hookClient(second);
    // The same bot for the same code and token; its chat, message (with keyboard) and file are there.
    expect((await registerBot(again, { code: 'kept', botToken: 'kept-token' })).botId).toBe(botId);
    const messages = second.chatMessages(chat.id) as Array<{ id: number; text: string; params: Record<string, unknown> }>;
    expect(messages.find((m) => m.id === sent.id)?.params.KEYBOARD).toEqual([expect.objectContaining({ TEXT: 'Да' })]);
    expect(second.portal.state.data.files.size).toBe(1);
    expect([...second.portal.state.data.files.values()][0].content.toString()).toBe('файл');
    const events = await again.actions.v2.call.make<{ events: Array<{ type: string }> }>({ method: 'imbot.v2.Event.get', params: { botId, botToken: 'kept-token' } });
    expect(events.getData()!.result.events.map((e) => e.type)).toContain('ONIMBOTV2MESSAGEADD');
    // Ids go on from where they were: nothing new collides with what is kept.
    const next = await again.actions.v2.call.make<{ id: number }>({ method: 'imbot.v2.Chat.Message.send',
      params: { botId, botToken: 'kept-token', dialogId: chat.dialogId, fields: { message: 'после перезапуска' } } });
    expect(next.getData()!.result.id).toBeGreaterThan(sent.id);
    // A bot removed before a restart stays removed after it.
    second.removeBot(botId);
  } finally {
    await second.close();
  }
  const third = await startSandbox({ stateFile, rateLimit: false });
  try {
    const gone = await hookClient(third).actions.v2.call.make({ method: 'imbot.v2.Event.get', params: { botId, botToken: 'kept-token' } })
      .catch((e: AjaxError) => e);
    expect((gone as AjaxError).code).toBe('BOT_NOT_FOUND');
  } finally {
    await third.close();
  }
}, 60_000);
