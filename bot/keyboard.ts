import { BUTTON_COMMAND, encodeButton, type ButtonPayload } from './button-codec.js';

/** One keyboard item as Bitrix24 takes it (reference §3, upper-case keys), or a row break. */
export type KeyboardItem =
  | { TEXT: string; COMMAND: string; COMMAND_PARAMS: string; DISPLAY: 'LINE' | 'BLOCK'; BG_COLOR_TOKEN?: 'primary' | 'secondary' | 'alert' | 'base' }
  | { TYPE: 'NEWLINE' };

export const NEWLINE: KeyboardItem = { TYPE: 'NEWLINE' };

export function button(text: string, payload: ButtonPayload, tone?: 'primary' | 'secondary' | 'alert'): KeyboardItem {
  return { TEXT: text, COMMAND: BUTTON_COMMAND, COMMAND_PARAMS: encodeButton(payload), DISPLAY: 'LINE', ...(tone ? { BG_COLOR_TOKEN: tone } : {}) };
}

/** Lays buttons out `perRow` to a row, so they fit a phone screen. */
export function rows(buttons: KeyboardItem[], perRow: number): KeyboardItem[] {
  return buttons.flatMap((b, i) => (i > 0 && i % perRow === 0 ? [NEWLINE, b] : [b]));
}
