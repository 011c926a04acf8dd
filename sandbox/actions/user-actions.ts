import { touch, type PortalContext } from '../portal-context.js';
import type { ChatRecord, MessageRecord, TaskRecord, UserRecord } from '../portal-state.js';
import { isMember, resolveDialog } from '../messenger/chats.js';
import { isCommandButton, type KeyboardButton } from '../messenger/keyboard.js';
import { postMessage } from '../messenger/post-message.js';
import { emitCommandEvent } from '../events/message-events.js';
import { addTaskComment, canAccessTask, TASK_COMPLETED, taskOfChat, updateTask } from '../tasks/task-service.js';

/** A simulated user tried something the messenger would not let them do. */
export class SandboxActionError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function person(ctx: PortalContext, userId: number): UserRecord {
  const user = ctx.state.data.users.get(userId);
  if (!user || user.isBot || !user.active) throw new SandboxActionError('USER_NOT_FOUND', `no active user ${userId}`);
  return user;
}

function memberChat(ctx: PortalContext, userId: number, dialogId: string): ChatRecord {
  const chat = resolveDialog(ctx, userId, dialogId);
  if (!chat || !isMember(chat, userId)) throw new SandboxActionError('ACCESS_ERROR', `user ${userId} is not in ${dialogId}`);
  return chat;
}

/**
 * A user types into a dialog (`dialogId` as that user sees it: a user or bot id, or `chatN`).
 * In a task chat that is a task comment; a leading `/command` reaches its bot as a command.
 */
export function writeMessage(ctx: PortalContext, a: { userId: number; dialogId: string; text: string }): MessageRecord {
  person(ctx, a.userId);
  if (!a.text.trim()) throw new SandboxActionError('EMPTY_MESSAGE', 'message is empty');
  const chat = memberChat(ctx, a.userId, a.dialogId);
  const task = taskOfChat(ctx, chat.id);
  if (task) return addTaskComment(ctx, task, a.userId, a.text);
  return postMessage(ctx, chat, { authorId: a.userId, text: a.text });
}

export interface ClickResult {
  /** False when the button's command is not registered for its bot: the real messenger sends nothing then. */
  delivered: boolean;
  button: KeyboardButton;
}

/**
 * A click on a COMMAND button: ONIMBOTV2COMMANDADD with context "keyboard", the button's
 * COMMAND_PARAMS and the keyboard message itself; no chat message is posted (reference §2).
 * A BLOCK:"Y" button is disabled afterwards (imbot.v2/messages/message-keyboards.md).
 */
export function clickButton(ctx: PortalContext, a: { userId: number; messageId: number; buttonIndex: number }): ClickResult {
  person(ctx, a.userId);
  const data = ctx.state.data;
  const message = data.messages.get(a.messageId);
  const chat = message && data.chats.get(message.chatId);
  if (!message || !chat || !isMember(chat, a.userId)) throw new SandboxActionError('MESSAGE_NOT_FOUND', `no message ${a.messageId}`);
  const buttons = Array.isArray(message.params.KEYBOARD) ? (message.params.KEYBOARD as KeyboardButton[]) : [];
  const button = buttons[a.buttonIndex];
  if (!button || !isCommandButton(button)) throw new SandboxActionError('BUTTON_NOT_FOUND', `no command button ${a.buttonIndex}`);
  if (button.DISABLED === 'Y') throw new SandboxActionError('BUTTON_DISABLED', 'the button is disabled');
  if (button.BLOCK === 'Y') {
    button.DISABLED = 'Y';
    touch(ctx);
  }
  const bot = data.bots.get(Number(button.BOT_ID ?? message.authorId));
  const name = String(button.COMMAND).replace(/^\//, '').toLowerCase();
  const command = bot && [...data.commands.values()].find((c) => c.botId === bot.id && c.command.toLowerCase() === name);
  if (!bot || !command) return { delivered: false, button: { ...button } };
  emitCommandEvent(ctx, {
    bot, command, paramsText: String(button.COMMAND_PARAMS ?? ''), context: 'keyboard', message, chat, userId: a.userId,
  });
  return { delivered: true, button: { ...button } };
}

function accessibleTask(ctx: PortalContext, userId: number, taskId: number): TaskRecord {
  const task = ctx.state.data.tasks.get(taskId);
  if (!task || !canAccessTask(ctx, task, userId)) throw new SandboxActionError('TASK_NOT_FOUND', `no task ${taskId} for user ${userId}`);
  return task;
}

export function commentTask(ctx: PortalContext, a: { userId: number; taskId: number; text: string }): MessageRecord {
  person(ctx, a.userId);
  if (!a.text.trim()) throw new SandboxActionError('EMPTY_MESSAGE', 'comment is empty');
  return addTaskComment(ctx, accessibleTask(ctx, a.userId, a.taskId), a.userId, a.text);
}

/** The developer marks the task completed (status 5), which fires ONTASKUPDATE. */
export function completeTask(ctx: PortalContext, a: { userId: number; taskId: number }): TaskRecord {
  person(ctx, a.userId);
  const task = accessibleTask(ctx, a.userId, a.taskId);
  return updateTask(ctx, task, { STATUS: TASK_COMPLETED }, a.userId);
}
