import type { KeyboardItem } from './keyboard.js';

/**
 * What the bot has to say or do after a decision, as plain data. Decisions are made in a
 * database transaction; the effects are stored with it and run after the commit, each under
 * its own idempotency key, so a crash in between replays them instead of losing or doubling.
 */
export type Effect =
  | {
    op: 'send'; dialogId: string; text: string; keyboard: KeyboardItem[] | null;
    /** Remember the posted message as this ticket's card, to edit it later. */
    post?: { ticketId: number; role: 'dispatch' | 'specialist' };
    /** Remember it as the latest reminder of this kind in this dialog (sent at `sentAt`). */
    reminder?: { kind: 'unassigned' | 'missing_time'; sentAt: string };
    /** Remember it as the prompt of this person's conversation (started at `startedAt`), to take its Cancel away later. */
    prompt?: { b24UserId: number; startedAt: string };
  }
  | { op: 'update'; messageId: number; text: string; keyboard: KeyboardItem[] | null }
  | { op: 'delete'; messageId: number }
  /** Outgoing mail rows committed with the decision: queue their send. */
  | { op: 'mail'; messageRowIds: number[] }
  /** Open a developer's task for an escalated ticket, then tell the specialist. */
  | {
    op: 'task'; ticketId: number; ticketNumber: number; title: string; description: string;
    developer: { employeeId: number; b24UserId: number; name: string; gender?: 'M' | 'F' | null };
    specialist: { employeeId: number; b24UserId: number; language: 'ru' | 'en' };
    auditors: number[];
  };

export const send = (dialogId: string, text: string, keyboard: KeyboardItem[] | null = null, extra: Partial<Extract<Effect, { op: 'send' }>> = {}): Effect =>
  ({ op: 'send', dialogId, text, keyboard, ...extra });
export const update = (messageId: number, r: { text: string; keyboard: KeyboardItem[] | null }): Effect =>
  ({ op: 'update', messageId, text: r.text, keyboard: r.keyboard });
