import { portalDate, type PortalContext } from '../portal-context.js';
import type { ChatRecord, MessageRecord } from '../portal-state.js';
import { chatTitleFor, dialogIdFor, findPrivateChat, fullName, isMember } from '../messenger/chats.js';
import { chatMessages } from '../messenger/post-message.js';
import { bbCodeToText, escapeHtml, renderBbCode } from '../messenger/bbcode.js';
import type { KeyboardButton } from '../messenger/keyboard.js';
import { taskOfChat } from '../tasks/task-service.js';

/** What the messenger page shows; plain JSON, not part of Bitrix24. */
export function listPeople(ctx: PortalContext): Array<Record<string, unknown>> {
  const { users, departments } = ctx.state.data;
  return [...users.values()].filter((u) => !u.isBot && u.active).map((u) => ({
    id: u.id, name: fullName(u), position: u.workPosition,
    department: u.departments.map((d) => departments.get(d)?.name ?? '').join(', '),
  }));
}

export function listChats(ctx: PortalContext, userId: number): Array<Record<string, unknown>> {
  const data = ctx.state.data;
  const rows = [...data.chats.values()].filter((c) => isMember(c, userId)).map((c) => chatRow(ctx, c, userId));
  for (const bot of data.bots.values()) {
    if (findPrivateChat(ctx, userId, bot.id)) continue;
    rows.push({ dialogId: String(bot.id), chatId: null, title: fullName(data.users.get(bot.id)), kind: 'bot', lastMessageId: 0, lastText: '' });
  }
  return rows.sort((a, b) => Number(b.lastMessageId) - Number(a.lastMessageId));
}

function chatRow(ctx: PortalContext, chat: ChatRecord, userId: number): Record<string, unknown> {
  const messages = chatMessages(ctx, chat.id);
  const last = messages[messages.length - 1];
  const task = taskOfChat(ctx, chat.id);
  const other = chat.type === 'private' ? ctx.state.data.users.get(Number(dialogIdFor(chat, userId))) : undefined;
  return {
    dialogId: dialogIdFor(chat, userId),
    chatId: chat.id,
    title: task ? `Task #${task.id}: ${task.title}` : chatTitleFor(ctx, chat, userId),
    kind: task ? 'task' : other?.isBot ? 'bot' : chat.type,
    lastMessageId: last?.id ?? 0,
    lastText: last ? bbCodeToText(last.text).slice(0, 80) : '',
  };
}

export function renderDialog(ctx: PortalContext, userId: number, chat: ChatRecord): Record<string, unknown> {
  const task = taskOfChat(ctx, chat.id);
  const typing = chat.typing && chat.typing.until > ctx.now() && chat.typing.userId !== userId
    ? fullName(ctx.state.data.users.get(chat.typing.userId)) : null;
  return {
    dialogId: dialogIdFor(chat, userId),
    chatId: chat.id,
    title: chatTitleFor(ctx, chat, userId),
    typing,
    task: task ? { id: task.id, title: task.title, status: task.status, responsibleId: task.responsibleId } : null,
    messages: chatMessages(ctx, chat.id).map((m) => renderMessage(ctx, m, userId)),
  };
}

function renderMessage(ctx: PortalContext, m: MessageRecord, userId: number): Record<string, unknown> {
  const author = ctx.state.data.users.get(m.authorId);
  const fileIds = Array.isArray(m.params.FILE_ID) ? (m.params.FILE_ID as number[]) : [];
  return {
    id: m.id,
    authorId: m.authorId,
    authorName: m.authorId === 0 ? 'System' : fullName(author),
    own: m.authorId === userId,
    isBot: author?.isBot ?? false,
    date: portalDate(ctx, m.date),
    system: m.isSystem,
    deleted: m.params.IS_DELETED === 'Y',
    html: renderBbCode(m.text),
    attach: renderAttach(m.params.ATTACH),
    keyboard: (Array.isArray(m.params.KEYBOARD) ? (m.params.KEYBOARD as KeyboardButton[]) : []).map(buttonView),
    files: fileIds.map((id) => ctx.state.data.files.get(id)).filter((f) => f !== undefined)
      .map((f) => ({ id: f.id, name: f.name, size: f.content.length, url: `/sandbox/api/files/${f.id}` })),
  };
}

function buttonView(b: KeyboardButton, index: number): Record<string, unknown> {
  if (b.TYPE === 'NEWLINE') return { index, kind: 'newline' };
  const kind = b.COMMAND ? 'command' : b.LINK ? 'link' : b.ACTION ? 'action' : 'other';
  return {
    index, kind, text: String(b.TEXT ?? ''), disabled: b.DISABLED === 'Y', display: String(b.DISPLAY ?? 'BLOCK'),
    link: b.LINK ?? null, action: b.ACTION ?? null, actionValue: b.ACTION_VALUE ?? null,
    bgColor: b.BG_COLOR ?? null, textColor: b.TEXT_COLOR ?? null, colorToken: b.BG_COLOR_TOKEN ?? 'base',
  };
}

/** ATTACH blocks (reference §3) as small HTML fragments; unknown blocks are skipped. */
function renderAttach(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((attach: Record<string, unknown>) => {
    const blocks = Array.isArray(attach.BLOCKS) ? (attach.BLOCKS as Array<Record<string, unknown>>) : [];
    return blocks.map(renderBlock).join('');
  });
}

function renderBlock(block: Record<string, unknown>): string {
  if (typeof block.MESSAGE === 'string') return `<div class="at-msg">${renderBbCode(block.MESSAGE)}</div>`;
  if (block.DELIMITER !== undefined) return '<hr class="at-delim">';
  const link = block.LINK as Record<string, unknown> | undefined;
  if (link && typeof link === 'object') return `<div class="at-link">${renderBbCode(`[url=${String(link.LINK ?? '')}]${String(link.NAME ?? link.LINK ?? '')}[/url]`)}</div>`;
  const user = block.USER as Record<string, unknown> | undefined;
  if (user && typeof user === 'object') return `<div class="at-user">${escapeHtml(String(user.NAME ?? ''))}</div>`;
  if (Array.isArray(block.GRID)) {
    const rows = (block.GRID as Array<Record<string, unknown>>)
      .map((g) => `<tr><th>${escapeHtml(String(g.NAME ?? ''))}</th><td>${renderBbCode(String(g.VALUE ?? ''))}</td></tr>`);
    return `<table class="at-grid">${rows.join('')}</table>`;
  }
  return '';
}
