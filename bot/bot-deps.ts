import type { Logger } from 'pino';
import type { Db } from '../tickets/store/db.js';
import type { Language } from '../tickets/types.js';
import type { B24Port } from '../connectors/bitrix24/b24-port.js';
import type { BotIdentity } from '../connectors/bitrix24/imbot.js';

export interface WorkingHours {
  days: number[];
  fromMinute: number;
  toMinute: number;
}

export interface BotSettings {
  /** Where new tickets and unassigned reminders go: `chatN` or a user id. */
  dispatchDialog: string;
  /** The portal's language: the dispatch chat is spoken to in it. */
  language: Language;
  timeZone: string;
  remindIntervalMs: number;
  workingHours: WorkingHours | null;
  reminderListSize: number;
  /** Ticket links in tasks. */
  publicUrl: string;
  messageIdDomain: string;
  /** The inbound webhook's user: auditor of escalation tasks, so their comments reach us (reference §0). */
  webhookUserId: number | null;
}

/** An invitation to the client cabinet asked for in the bot (`/invite`); main/ wires it to the cabinet's own. */
export interface CabinetInvite {
  clientId: number;
  email: string;
  role: 'director' | 'employee';
  /** `employee:{id}`: who asked, for the account and the audit trail. */
  actor: `employee:${number}`;
}

/** What the bot's handlers and rounds need from the outside world. */
export interface BotDeps {
  db: Db;
  b24: B24Port;
  bot: BotIdentity;
  settings: BotSettings;
  /** Queues the send of committed outgoing mail rows. */
  queueMail(messageRowIds: number[]): Promise<void>;
  now(): Date;
  log: Logger;
  /**
   * Told of every refusal the portal gave a bot call made as bot `botId`, so a lost bot or
   * dispatch chat is healed (see bot-healer.ts).
   */
  /** Signs the panel links in messages sent to one person (bot/panel-links.ts); absent: bare links. */
  panelLinks?: { secret: string | null; lifetimeMs: number };
  noticeRefusal?(err: unknown, botId: number, call: { dialogId?: string; dispatchCard?: boolean }): void;
  /** Opens a cabinet account and mails its link; rejects with an error carrying a stable `code`. Absent: /invite is off. */
  inviteToCabinet?(inv: CabinetInvite): Promise<void>;
}
