/**
 * How the official Bitrix24 REST docs (github.com/bitrix-tools/b24-rest-docs) treat user text in a
 * bot's message: api-reference/chat-bots/chat-bots-v2/imbot.v2/bot-context.md, "Безопасность",
 * says to escape user data before putting it into a bot's BB markup, and names no mechanism;
 * api-reference/chat-bots/chat-bots-v2/imbot.v2/messages/message-formatting.md and
 * api-reference/chats/messages/formatting.md (the codes im.message.add / imbot.v2 messages
 * take) list the codes only, with no escape code, no `[[` and no entity. HTML entities would
 * not do: the messenger's web client HTML-encodes a message's text before it reads BB-codes, so
 * `&#91;` would be shown as typed. Every code opens with `[` directly followed by its name
 * (`[b]`, `[/b]`, `[url=`, `[user=`), so a WORD JOINER (U+2060, invisible, no line break) after
 * each `[` leaves the bracket on screen as written while no tag can start there.
 */
export const WORD_JOINER = '\u2060';

/** Text from mail, a developer, a person's typing or the portal, made inert inside a bot message. */
export function escapeBb(s: string): string {
  return s.replace(/\[/g, `[${WORD_JOINER}`);
}
