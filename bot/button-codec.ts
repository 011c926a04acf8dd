/**
 * What a keyboard button carries. A click reaches us as a command event with only the
 * command and its params (reference §0), so the params name the ticket and the choice.
 * One hidden command, `tkt`, with params `<action> <ticket number> [<argument>]` (the typed
 * `/ticket 1042` is a separate, visible command).
 */
export const BUTTON_COMMAND = 'tkt';

export const BUTTON_ACTIONS = [
  'dept', 'emp', 'back', 'spam', 'accept', 'reply', 'cancel', 'esc', 'dev', 'close', 'time', 'other', 'bill', 'free', 'reassign',
  // A ticket's number in a reminder: opens its choice in place.
  'open',
] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export interface ButtonPayload {
  action: ButtonAction;
  ticket: number;
  arg?: string;
}

export function encodeButton(p: ButtonPayload): string {
  if (p.arg !== undefined && !/^[\w.-]+$/.test(p.arg)) throw new Error(`button argument must be one word: ${p.arg}`);
  return [p.action, String(p.ticket), ...(p.arg !== undefined ? [p.arg] : [])].join(' ');
}

/** Null for anything that is not one of our buttons (an old or forged click). */
export function decodeButton(params: string): ButtonPayload | null {
  const [action, ticket, arg, ...extra] = params.trim().split(/\s+/);
  if (extra.length > 0 || !(BUTTON_ACTIONS as readonly string[]).includes(action) || !/^\d{1,12}$/.test(ticket ?? '')) return null;
  if (arg !== undefined && !/^[\w.-]+$/.test(arg)) return null;
  return { action: action as ButtonAction, ticket: Number(ticket), ...(arg !== undefined ? { arg } : {}) };
}
