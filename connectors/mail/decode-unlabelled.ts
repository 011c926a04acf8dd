import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** False when no reading was clearly right: the bytes we could not place are U+FFFD. */
  confident: boolean;
}

// Our clients write Russian first: the two charsets old Cyrillic mailers send unlabelled are
// always tried, whatever the detector says about a few bytes (it is weak on short subjects).
const CYRILLIC = ['windows-1251', 'koi8-r'];
// Western European mail without a label is rarer, but not to be read as Cyrillic.
const WESTERN = 'windows-1252';
const CYRILLIC_PRIOR = 0.05;
// The fifteen most frequent Russian letters make up about 80% of running text; a Cyrillic
// text read in the wrong one of the two charsets is a permuted alphabet, rich in rare letters.
const FREQUENT_RU = new Set('оеаинтсрвлкмдпу');
const TYPOGRAPHY = new Set('«»—–№“”„‘’…°€\u00a0·');
const MIN_PLAUSIBLE = 0.7;
const MIN_MARGIN = 0.1;

/**
 * Decodes 8-bit text that names no charset: UTF-8 if it is valid UTF-8, else the reading that
 * makes the most plausible words (windows-1251 and KOI8-R always among the candidates, plus
 * what `chardet` proposes). When no reading is clearly best, the text comes back as UTF-8 with
 * each unreadable byte a single U+FFFD, and not confident: better visibly unknown than garbage.
 */
export function decodeUnlabelled(bytes: Buffer, also: string[] = []): DecodedText {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), confident: true };
  const candidates = new Map<string, number>(CYRILLIC.map((c) => [c, CYRILLIC_PRIOR]));
  candidates.set(WESTERN, 0);
  for (const name of also) candidates.set(name, Math.max(candidates.get(name) ?? 0, 0));
  for (const m of chardet.analyse(bytes)) {
    const name = m.name.toLowerCase();
    if (m.confidence >= 30 && iconv.encodingExists(name)) candidates.set(name, (candidates.get(name) ?? 0) + m.confidence / 300);
  }
  // Charsets that read these bytes alike (windows-1252 and latin1) are one reading, not rivals.
  const readings = new Map<string, { text: string; plausible: number; score: number }>();
  for (const [name, prior] of candidates) {
    const text = iconv.decode(bytes, name);
    const seen = readings.get(text);
    const plausible = seen?.plausible ?? plausibility(text);
    if (!seen || seen.score < plausible + prior) readings.set(text, { text, plausible, score: plausible + prior });
  }
  const scored = [...readings.values()].sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (best.plausible >= MIN_PLAUSIBLE && (!second || best.score - second.score >= MIN_MARGIN)) return { text: best.text, confident: true };
  return { text: bytes.toString('utf8'), confident: false };
}

/**
 * How much the non-ASCII part of a decoded text reads like words: from 0 (box drawing, words
 * with their case or alphabet mixed up) to 1 (well-cased words of frequent letters).
 */
export function plausibility(text: string): number {
  let total = 0;
  let good = 0;
  for (const m of text.matchAll(/\p{L}+|[^\p{L}\x00-\x7f]/gu)) {
    const word = m[0];
    const high = [...word].filter((ch) => ch.charCodeAt(0) > 0x7f);
    if (high.length === 0) continue;
    total += high.length;
    if (!/\p{L}/u.test(word)) {
      if (TYPOGRAPHY.has(word)) good += 1;
      continue;
    }
    good += high.reduce((sum, ch) => sum + letterWeight(ch, word), 0);
  }
  return total === 0 ? 1 : good / total;
}

function letterWeight(ch: string, word: string): number {
  const cased = /^\p{Lu}?\p{Ll}+$/u.test(word) ? 1 : /^\p{Lu}+$/u.test(word) ? 0.8 : 0;
  const cyrillic = /\p{Script=Cyrillic}/u.test(word);
  const latin = /\p{Script=Latin}/u.test(word);
  if (cased === 0 || (cyrillic && latin) || (!cyrillic && !latin)) return 0;
  // Accented letters are sprinkled in Western words; a word made mostly of them is Cyrillic misread.
  if (!cyrillic) return [...word].filter((c) => c.charCodeAt(0) > 0x7f).length * 2 <= word.length ? 0.8 * cased : 0.1;
  return (FREQUENT_RU.has(ch.toLowerCase()) ? 1 : 0.6) * cased;
}
