import { portalDate, type PortalContext } from '../portal-context.js';
import type { BotRecord, ChatRecord, MessageRecord, UserRecord } from '../portal-state.js';
import { chatTitleFor, dialogIdFor, fullName } from './chats.js';

/** The full bot object (entities.md#bot, extended format), as Bot.register and fetch-mode events show it. */
export function botView(ctx: PortalContext, bot: BotRecord): Record<string, unknown> {
  const data = ctx.state.data;
  const chats = [...data.chats.values()].filter((c) => c.memberIds.includes(bot.id));
  const users = new Set(chats.flatMap((c) => c.memberIds).filter((id) => id !== bot.id));
  return {
    id: bot.id,
    code: bot.code,
    type: bot.type,
    isHidden: bot.isHidden,
    isSupportOpenline: bot.isSupportOpenline,
    isReactionsEnabled: bot.isReactionsEnabled,
    backgroundId: bot.backgroundId,
    language: ctx.config.language,
    moduleId: 'rest',
    eventMode: bot.eventMode,
    countMessage: bot.countMessage,
    countCommand: [...data.commands.values()].filter((c) => c.botId === bot.id).length,
    countChat: chats.length,
    countUser: users.size,
  };
}

/** entities.md#user, camelCase; in events the online fields are always false (im.v2/events/events.md). */
export function userView(ctx: PortalContext, user: UserRecord, inEvent: boolean): Record<string, unknown> {
  return {
    id: user.id,
    active: user.active,
    name: fullName(user),
    firstName: user.name,
    lastName: user.lastName,
    workPosition: user.workPosition,
    color: user.color,
    avatar: '',
    gender: user.gender,
    birthday: '',
    extranet: user.userType === 'extranet',
    bot: user.isBot,
    connector: false,
    externalAuthId: user.isBot ? 'bot' : 'default',
    status: 'online',
    idle: false,
    lastActivityDate: inEvent ? false : portalDate(ctx, ctx.now()),
    mobileLastDate: false,
    desktopLastDate: false,
    absent: false,
    departments: [...user.departments],
    phones: false,
    type: user.isBot ? 'bot' : user.userType,
    website: '',
    email: user.email,
  };
}

/** The snake_case user of im.user.get and im.dialog.messages.get (chats/users/im-user-get.md). */
export function userViewSnake(ctx: PortalContext, user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    active: user.active,
    name: fullName(user),
    first_name: user.name,
    last_name: user.lastName,
    work_position: user.workPosition,
    color: user.color,
    avatar: '',
    avatar_hr: '',
    gender: user.gender,
    birthday: '',
    extranet: user.userType === 'extranet',
    network: false,
    bot: user.isBot,
    connector: false,
    external_auth_id: user.isBot ? 'bot' : 'default',
    status: 'online',
    idle: false,
    last_activity_date: portalDate(ctx, ctx.now()),
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: [...user.departments],
    phones: false,
    website: '',
    email: user.email,
    bot_data: null,
    type: user.isBot ? 'bot' : 'user',
  };
}

/** entities.md#chat as seen by `viewerId`; events carry no role or muteList. */
export function chatView(ctx: PortalContext, chat: ChatRecord, viewerId: number): Record<string, unknown> {
  return {
    id: chat.id,
    dialogId: dialogIdFor(chat, viewerId),
    name: chatTitleFor(ctx, chat, viewerId),
    type: chat.type,
    messageType: chat.type === 'private' ? 'P' : 'C',
    owner: chat.ownerId,
    color: chat.color,
    avatar: '',
    description: chat.description,
    extranet: false,
    containsCollaber: false,
    entityType: chat.entityType,
    entityId: chat.entityId,
    entityData1: '',
    entityData2: '',
    entityData3: '',
    entityLink: {},
    diskFolderId: null,
    permissions: {},
    parentChatId: 0,
    parentMessageId: 0,
    isNew: false,
    textFieldEnabled: 'Y',
    backgroundId: null,
  };
}

/** entities.md#message, camelCase. */
export function messageView(ctx: PortalContext, msg: MessageRecord): Record<string, unknown> {
  return {
    id: msg.id,
    chatId: msg.chatId,
    authorId: msg.authorId,
    date: portalDate(ctx, msg.date),
    text: msg.text,
    isSystem: msg.isSystem,
    uuid: msg.uuid,
    forward: null,
    params: structuredClone(msg.params),
    viewedByOthers: false,
  };
}

/** The im.dialog.messages.get row: snake_case, and `params` is `[]` when empty (reference §3). */
export function messageViewSnake(ctx: PortalContext, msg: MessageRecord): Record<string, unknown> {
  const hasParams = Object.keys(msg.params).length > 0;
  return {
    id: msg.id,
    chat_id: msg.chatId,
    author_id: msg.authorId,
    date: portalDate(ctx, msg.date),
    text: msg.text,
    unread: false,
    uuid: msg.uuid || null,
    replaces: [],
    params: hasParams ? structuredClone(msg.params) : [],
    disappearing_date: null,
  };
}
