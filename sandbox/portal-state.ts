/** Everything the stand-in portal keeps in memory. Ids are numbers here; views turn them into the documented types. */

export interface UserRecord {
  id: number;
  active: boolean;
  name: string;
  lastName: string;
  email: string;
  workPosition: string;
  gender: 'M' | 'F' | '';
  departments: number[];
  isAdmin: boolean;
  isBot: boolean;
  userType: 'employee' | 'extranet' | 'bot';
  color: string;
  dateRegister: number;
}

export interface DepartmentRecord {
  id: number;
  name: string;
  sort: number;
  parent: number | null;
  head: number | null;
}

export type BotOwner = { kind: 'webhook'; botToken: string } | { kind: 'app'; clientId: string };

export interface BotRecord {
  id: number;
  code: string;
  type: 'bot' | 'supervisor' | 'personal' | 'openline' | 'network';
  eventMode: 'fetch' | 'webhook';
  webhookUrl: string;
  isHidden: boolean;
  isReactionsEnabled: boolean;
  isSupportOpenline: boolean;
  backgroundId: string | null;
  owner: BotOwner;
  countMessage: number;
}

export interface CommandRecord {
  id: number;
  botId: number;
  command: string;
  title: Record<string, string>;
  params: Record<string, string>;
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
}

export interface ChatRecord {
  id: number;
  type: 'private' | 'chat';
  title: string;
  description: string;
  color: string;
  ownerId: number;
  memberIds: number[];
  entityType: string;
  entityId: string;
  createdAt: number;
  typing: { userId: number; until: number } | null;
}

export interface MessageRecord {
  id: number;
  chatId: number;
  authorId: number;
  date: number;
  text: string;
  isSystem: boolean;
  params: Record<string, unknown>;
  uuid: string;
}

export interface TaskRecord {
  id: number;
  title: string;
  description: string;
  status: number;
  priority: number;
  createdBy: number;
  responsibleId: number;
  auditors: number[];
  accomplices: number[];
  groupId: number;
  deadline: string | null;
  createdDate: number;
  changedDate: number;
  changedBy: number;
  statusChangedBy: number | null;
  statusChangedDate: number;
  closedBy: number | null;
  closedDate: number | null;
  chatId: number;
  userFields: Record<string, unknown>;
}

export interface FileRecord {
  id: number;
  chatId: number;
  name: string;
  extension: string;
  content: Buffer;
  authorId: number;
  date: number;
}

export interface QueuedEvent {
  eventId: number;
  type: string;
  date: number;
  data: Record<string, unknown>;
}

export interface WebhookRecord {
  userId: number;
  secret: string;
  scopes: string[];
}

export interface AppRecord {
  clientId: string;
  clientSecret: string;
  applicationToken: string;
  scopes: string[];
}

export interface TokenRecord {
  token: string;
  clientId: string;
  userId: number;
  expiresAt: number;
}

export interface EventBinding {
  id: number;
  clientId: string;
  event: string;
  handler: string;
  authUserId: number | null;
}

export interface PortalData {
  seq: Record<'user' | 'department' | 'chat' | 'message' | 'command' | 'task' | 'file' | 'event', number>;
  users: Map<number, UserRecord>;
  departments: Map<number, DepartmentRecord>;
  bots: Map<number, BotRecord>;
  commands: Map<number, CommandRecord>;
  chats: Map<number, ChatRecord>;
  messages: Map<number, MessageRecord>;
  tasks: Map<number, TaskRecord>;
  files: Map<number, FileRecord>;
  botQueues: Map<number, QueuedEvent[]>;
  userQueues: Map<number, QueuedEvent[]>;
  userSubscriptions: Set<number>;
}

/** Credentials outlive a reset, so a test's webhook URL and app tokens stay valid. */
export interface PortalAuth {
  webhooks: Map<string, WebhookRecord>;
  apps: Map<string, AppRecord>;
  accessTokens: Map<string, TokenRecord>;
  refreshTokens: Map<string, TokenRecord>;
  bindings: EventBinding[];
  bindingSeq: number;
}

export interface PortalState {
  data: PortalData;
  auth: PortalAuth;
  /** Bumped on every change, so the messenger page knows when to redraw. */
  version: number;
}

// Different starting points per kind, so a chat id mistaken for a message id fails loudly.
export function createPortalData(): PortalData {
  return {
    seq: { user: 0, department: 0, chat: 10, message: 1000, command: 0, task: 100, file: 500, event: 0 },
    users: new Map(),
    departments: new Map(),
    bots: new Map(),
    commands: new Map(),
    chats: new Map(),
    messages: new Map(),
    tasks: new Map(),
    files: new Map(),
    botQueues: new Map(),
    userQueues: new Map(),
    userSubscriptions: new Set(),
  };
}

export function createPortalState(): PortalState {
  return {
    data: createPortalData(),
    auth: { webhooks: new Map(), apps: new Map(), accessTokens: new Map(), refreshTokens: new Map(), bindings: [], bindingSeq: 0 },
    version: 0,
  };
}

export function nextId(data: PortalData, kind: keyof PortalData['seq']): number {
  data.seq[kind] += 1;
  return data.seq[kind];
}
