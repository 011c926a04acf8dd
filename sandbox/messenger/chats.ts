import { touch, type PortalContext } from '../portal-context.js';
import { nextId, type ChatRecord, type UserRecord } from '../portal-state.js';

// imbot.v2/chats/chat-add.md: the named colours a chat may take.
export const chatColors: Record<string, string> = {
  red: '#df532d', green: '#64a513', mint: '#4ba984', lightBlue: '#4ba5c3', darkBlue: '#3e99ce',
  purple: '#8474c8', aqua: '#1eb4aa', pink: '#f76187', lime: '#58cc47', brown: '#ab7761',
  azure: '#29619b', khaki: '#728f7a', sand: '#ba9c7b', marengo: '#556574', gray: '#909090', graphite: '#5e5f5e',
};

export function isMember(chat: ChatRecord, userId: number): boolean {
  return chat.memberIds.includes(userId);
}

export function addMembers(ctx: PortalContext, chat: ChatRecord, userIds: number[]): void {
  for (const id of userIds) if (!chat.memberIds.includes(id)) chat.memberIds.push(id);
  touch(ctx);
}

/** dialogId as the viewer sees it: the other party's id in a private chat, `chatN` otherwise (chat-bots-v2/index.md). */
export function dialogIdFor(chat: ChatRecord, viewerId: number): string {
  if (chat.type !== 'private') return `chat${chat.id}`;
  const other = chat.memberIds.find((id) => id !== viewerId) ?? viewerId;
  return String(other);
}

export function findPrivateChat(ctx: PortalContext, a: number, b: number): ChatRecord | undefined {
  for (const chat of ctx.state.data.chats.values()) {
    if (chat.type === 'private' && isMember(chat, a) && isMember(chat, b)) return chat;
  }
  return undefined;
}

export function ensurePrivateChat(ctx: PortalContext, a: number, b: number): ChatRecord {
  const existing = findPrivateChat(ctx, a, b);
  if (existing) return existing;
  return createChat(ctx, { type: 'private', title: '', ownerId: a, memberIds: [a, b] });
}

export interface NewChat {
  type: ChatRecord['type'];
  title: string;
  ownerId: number;
  memberIds: number[];
  description?: string;
  color?: string;
  entityType?: string;
  entityId?: string;
}

export function createChat(ctx: PortalContext, c: NewChat): ChatRecord {
  const data = ctx.state.data;
  const id = nextId(data, 'chat');
  const palette = Object.values(chatColors);
  const chat: ChatRecord = {
    id,
    type: c.type,
    title: c.title,
    description: c.description ?? '',
    color: chatColors[c.color ?? ''] ?? palette[id % palette.length],
    ownerId: c.ownerId,
    memberIds: [...new Set(c.memberIds)],
    entityType: c.entityType ?? '',
    entityId: c.entityId ?? '',
    createdAt: ctx.now(),
    typing: null,
  };
  data.chats.set(id, chat);
  touch(ctx);
  return chat;
}

/**
 * A chat deleted by an administrator, with its messages and files: calls naming it or its
 * messages get ACCESS_DENIED from then on (imbot.v2 method pages: "not a member of the chat").
 */
export function deleteChat(ctx: PortalContext, chatId: number): boolean {
  const data = ctx.state.data;
  if (!data.chats.delete(chatId)) return false;
  for (const [id, m] of data.messages) if (m.chatId === chatId) data.messages.delete(id);
  for (const [id, f] of data.files) if (f.chatId === chatId) data.files.delete(id);
  touch(ctx);
  return true;
}

/**
 * Resolves a dialogId as `viewerId` means it: `chatN`, or a user id naming the private chat
 * with that user (created on first use, as the messenger does). Undefined when it names nothing.
 */
export function resolveDialog(ctx: PortalContext, viewerId: number, dialogId: string): ChatRecord | undefined {
  const m = /^chat(\d+)$/i.exec(dialogId.trim());
  if (m) return ctx.state.data.chats.get(Number(m[1]));
  if (!/^\d+$/.test(dialogId.trim())) return undefined;
  const otherId = Number(dialogId);
  if (!ctx.state.data.users.has(otherId) || otherId === viewerId) return undefined;
  return ensurePrivateChat(ctx, viewerId, otherId);
}

export function fullName(user: UserRecord | undefined): string {
  if (!user) return '';
  return [user.name, user.lastName].filter(Boolean).join(' ');
}

export function chatTitleFor(ctx: PortalContext, chat: ChatRecord, viewerId: number): string {
  if (chat.type !== 'private') return chat.title;
  return fullName(ctx.state.data.users.get(Number(dialogIdFor(chat, viewerId))));
}
