import { RestError } from '../rest/rest-error.js';

export type KeyboardButton = Record<string, unknown>;

/**
 * Accepts every documented keyboard shape: `{BOT_ID, BUTTONS:[…]}`, a bare button array, or
 * either as a JSON string (imbot.v2/messages/message-keyboards.md). Returns the stored
 * button list (NEWLINE markers included) or null when the keyboard is empty.
 */
export function normalizeKeyboard(raw: unknown): KeyboardButton[] | null {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new RestError(400, 'KEYBOARD_ERROR', 'Incorrect keyboard params');
    }
  }
  if (value === null || value === undefined || value === '') return null;
  const record = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const buttons = record && 'BUTTONS' in record ? record.BUTTONS : value;
  const list = Array.isArray(buttons) ? buttons : typeof buttons === 'object' && buttons ? Object.values(buttons) : [];
  const out = list.filter((b): b is KeyboardButton => typeof b === 'object' && b !== null).map((b) => upperKeys(b));
  return out.length > 0 ? out : null;
}

export function keyboardBotId(raw: unknown): number | undefined {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = Number((value as Record<string, unknown>).BOT_ID);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** "N" (or false) removes the keyboard on update (reference §3). */
export function isKeyboardRemoval(raw: unknown): boolean {
  return raw === 'N' || raw === false || raw === 'n';
}

function upperKeys(button: Record<string, unknown>): KeyboardButton {
  const out: KeyboardButton = {};
  for (const [k, v] of Object.entries(button)) out[k.toUpperCase()] = v;
  return out;
}

export function isCommandButton(button: KeyboardButton): boolean {
  return typeof button.COMMAND === 'string' && button.COMMAND !== '' && button.TYPE !== 'NEWLINE';
}
