/** Longer subjects are cut: mail programs show about this much, and some relays refuse far longer header lines. */
export const MAX_SUBJECT_CHARS = 200;

/**
 * A subject of at most `max` characters: cut at the last word boundary that keeps most of
 * it, with an ellipsis. Counts code points, so an emoji or a surrogate pair is never split.
 */
export function capSubject(subject: string, max = MAX_SUBJECT_CHARS): string {
  const chars = [...subject];
  if (chars.length <= max) return subject;
  const head = chars.slice(0, max - 1).join('');
  const space = head.search(/\s\S*$/);
  // One very long word (a URL, a file name) is cut where it must be.
  const cut = space > head.length / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s.,;:!?…\-–—]+$/u, '')}…`;
}
