import { sampleRoles } from '../../../sandbox/index.js';
import { startSandboxApp, type SandboxApp } from '../../harness/sandbox-app.js';
import { addGroupChat, deleteMessage, sendMessage, showTyping, uploadFile } from '../../../connectors/bitrix24/imbot.js';
import { addTask, getTask, readChat, TASK_COMPLETED, taskMarker, updateTask } from '../../../connectors/bitrix24/tasks.js';

let ctx: SandboxApp;
beforeAll(async () => { ctx = await startSandboxApp(); });
afterAll(async () => { await ctx.close(); });

test('the dispatchers get a group chat with the bot; a file lands in it; a message can be taken back', async () => {
  const b24 = ctx.app.b24!.b24;
  const dialogId = await addGroupChat(b24, ctx.bot, 'Диспетчеры', [sampleRoles.dispatcher, sampleRoles.admin], 'dispatch-chat');
  expect(dialogId).toMatch(/^chat\d+$/);
  await showTyping(b24, ctx.bot, dialogId);
  await uploadFile(b24, ctx.bot, dialogId, 'лог.txt', Buffer.from('ошибка 42'), 'file-1');
  const id = await sendMessage(b24, ctx.bot, dialogId, 'Удалить меня', null, 'to-delete');
  await deleteMessage(b24, ctx.bot, id, 'delete-1');
  const messages = ctx.sandbox.chatMessages(Number(dialogId.slice(4)));
  expect(messages).toEqual([expect.objectContaining({ authorId: ctx.bot.botId, params: { FILE_ID: [expect.any(Number)] } })]);
  expect(messages.map((m) => m.text)).not.toContain('Удалить меня');
});

test('an escalation task: created with its chat, commented by the developer, read back, completed', async () => {
  const b24 = ctx.app.b24!.b24;
  const developer = sampleRoles.developers[0];
  const task = await addTask(b24, { title: '#1042 Не работает 1С', description: 'Текст клиента', responsibleId: developer,
    auditors: [1, sampleRoles.specialists[0]] }, 'task-1042');
  expect(task).toMatchObject({ title: `#1042 Не работает 1С ${taskMarker('task-1042')}`, status: 2, responsibleId: developer });
  expect(task.chatId).not.toBeNull();
  // The same creation again after Redis lost its job and stored answer: the portal is asked first, no second task.
  const redis = ctx.app.core.redis;
  const lost = await redis.keys(`${ctx.t.env.QUEUE_PREFIX}:*task-1042*`);
  expect(lost.length).toBeGreaterThan(0);
  await redis.del(...lost);
  const tasksBefore = ctx.sandbox.tasks().length;
  const again = await addTask(b24, { title: '#1042 Не работает 1С', description: 'Текст клиента', responsibleId: developer,
    auditors: [1, sampleRoles.specialists[0]] }, 'task-1042');
  expect(again.id).toBe(task.id);
  expect(ctx.sandbox.tasks()).toHaveLength(tasksBefore);
  ctx.sandbox.commentTask({ userId: developer, taskId: task.id, text: 'Смотрю' });
  const comments = await readChat(b24, task.chatId!);
  expect(comments).toEqual([expect.objectContaining({ authorId: developer, text: 'Смотрю' })]);
  expect(await readChat(b24, task.chatId!, comments[0].id)).toEqual([]);
  await updateTask(b24, task.id, { STATUS: TASK_COMPLETED }, 'task-1042-done');
  expect((await getTask(b24, task.id)).status).toBe(TASK_COMPLETED);
});
