/**
 * Bitrix24 documents no escape for BB-codes: the formatting page lists the codes only, and
 * imbot.v2/bot-context.md just says to escape user data before putting it into a bot's
 * markup. Every code opens with `[` directly followed by its name (`[b]`, `[/b]`, `[url=`), so a
 * WORD JOINER (U+2060, invisible, no line break) after each `[` leaves the bracket on screen
 * as the client wrote it while no tag can start there. HTML entities would not do: nothing says
 * the messenger decodes them, so `&#91;` could be shown as typed.
 */
export const WORD_JOINER = '\u2060';

/** Text from mail, a developer or the portal, made inert inside a bot message. */
export function escapeBb(s: string): string {
  return s.replace(/\[/g, `[${WORD_JOINER}`);
}
