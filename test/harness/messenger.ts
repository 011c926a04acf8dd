import { sampleRoles, type Sandbox } from '../../sandbox/index.js';
import type { SandboxApp } from './sandbox-app.js';
import { getState } from '../../tickets/store/state-repo.js';
import { eventually } from './wait.js';

/** A message as the sandbox shows it (entities.md#message). */
export interface SandboxMessage {
  id: number;
  chatId: number;
  authorId: number;
  text: string;
  isSystem: boolean;
  params: Record<string, unknown>;
}

/** The messages of a dialog as `userId` sees it. */
export const dialog = (sandbox: Sandbox, userId: number, dialogId: string) => sandbox.dialogMessages(userId, dialogId) as unknown as SandboxMessage[];
type Button = { TEXT?: string; COMMAND?: string; COMMAND_PARAMS?: string };

export const buttonsOf = (m: SandboxMessage): Button[] => (Array.isArray(m.params.KEYBOARD) ? (m.params.KEYBOARD as Button[]) : []);
export const buttonTexts = (m: SandboxMessage): string[] => buttonsOf(m).map((b) => b.TEXT ?? '').filter(Boolean);

/** The dispatch chat the bot created (`chatN`), as the dispatcher sees it. */
export async function dispatchDialog(ctx: SandboxApp): Promise<string> {
  return eventually('the dispatch chat', async () => getState<string>(ctx.app.core.db, `bot.dispatch-dialog.${ctx.bot.botId}`));
}

/** Waits for a message in `dialogId` (as `userId` sees it) whose text matches. */
export async function waitForMessage(ctx: SandboxApp, userId: number, dialogId: string, match: RegExp | ((m: SandboxMessage) => boolean),
  timeoutMs = 30_000): Promise<SandboxMessage> {
  const test = typeof match === 'function' ? match : (m: SandboxMessage) => match.test(m.text);
  return eventually(`a message ${String(match)} in ${dialogId}`, async () => dialog(ctx.sandbox, userId, dialogId).find(test), timeoutMs);
}

/** The current state of one message. */
export function messageNow(ctx: SandboxApp, userId: number, dialogId: string, id: number): SandboxMessage | undefined {
  return dialog(ctx.sandbox, userId, dialogId).find((m) => m.id === id);
}

/** Clicks the button whose text matches, as `userId`. */
export function click(ctx: SandboxApp, userId: number, m: SandboxMessage, text: string | RegExp): void {
  const index = buttonsOf(m).findIndex((b) => (typeof text === 'string' ? b.TEXT === text : text.test(b.TEXT ?? '')));
  if (index < 0) throw new Error(`no button ${String(text)} on message ${m.id}: ${buttonTexts(m).join(', ')}`);
  ctx.sandbox.clickButton({ userId, messageId: m.id, buttonIndex: index });
}

/** A plain mail from a client. */
export function clientMail(o: { from: string; subject: string; text: string; messageId: string; inReplyTo?: string }): string {
  return [
    `From: ${o.from}`, 'To: support@modest.example', `Subject: ${o.subject}`, `Message-ID: <${o.messageId}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    'Date: Mon, 23 Nov 2026 10:00:00 +0300', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', o.text, '',
  ].join('\r\n');
}

/**
 * The dispatcher assigns ticket `number` through its dispatch card (department, then person);
 * resolves to the card the assignee gets in the bot's dialog.
 */
export async function assignFromDispatchCard(ctx: SandboxApp, number: number, department: string,
  assignee: { id: number; name: string }): Promise<SandboxMessage> {
  const { dispatcher } = sampleRoles;
  const chat = await dispatchDialog(ctx);
  const dispatchCard = await waitForMessage(ctx, dispatcher, chat, new RegExp(`#${number}\\b`));
  click(ctx, dispatcher, dispatchCard, department);
  const people = await eventually('employees', async () => {
    const m = messageNow(ctx, dispatcher, chat, dispatchCard.id)!;
    return buttonTexts(m).includes(assignee.name) ? m : null;
  });
  click(ctx, dispatcher, people, assignee.name);
  return waitForMessage(ctx, assignee.id, String(ctx.bot.botId), (m) => m.text.startsWith('Вам назначено') && m.text.includes(`#${number}`));
}
