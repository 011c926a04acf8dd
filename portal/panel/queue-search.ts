import type { Sql } from '../../tickets/store/db.js';

/**
 * How the queue finds tickets by words without reading a million tickets: either by the word
 * indexes (a list of the matching tickets' ids, when the words are rare enough) or ticket by
 * ticket along the queue's order (when the view is one person's queue, or the words are so
 * common that the first page fills at once).
 *
 * A ticket matches when all the words are in its text (the subject and every mail both ways,
 * never internal notes: the search vector that migration 021 keeps on each ticket) or all
 * are in the sender's name. One vector per ticket means a ticket-by-ticket check reads the
 * ticket's row only, not its thread (which cost a lookup of its mails per ticket).
 */
export type WordSearch =
  | { kind: 'ids'; ids: number[] }
  | { kind: 'scan'; lexemes: string[] };

/** More matches than this and the words are common: walking the queue's order finds a page sooner. */
export const WORD_IDS_CAP = 1000;

const TEXT = 't.search';
/**
 * The text's test as a function call, not the @@ operator: the GIN index cannot serve it, so a
 * common word's bitmap of all its tickets is never built, and the planner takes it to hold for
 * a third of the rows (as for any function), so it walks the queue's order and stops at the
 * page; the operator on an expression (coalesce) would be taken to hold for one row in 200,
 * and a page to need parallel workers, whose start costs more than the walk.
 */
const textMatches = (query: string) => `ts_match_vq(t.search, ${query})`;
const NAME = "to_tsvector('simple', coalesce(t.requester_name, ''))";

/**
 * The tickets that the words match, from the GIN indexes of migrations 021 and 022, or "scan"
 * when more than WORD_IDS_CAP match (reading them all would cost more than it saves). Whether
 * they do is first judged by the statistics of the text and the name (which words are common
 * and how common), since even collecting WORD_IDS_CAP matches of a common word builds a bitmap of all.
 */
export async function findWordMatches(sql: Sql, words: string): Promise<WordSearch> {
  const { lexemes, estimate } = await readWords(sql, words);
  if (estimate > WORD_IDS_CAP) return { kind: 'scan', lexemes };
  // `union all` under a limit stops reading at the cap (a `union` would first collect every match).
  const rows = await sql.query<{ id: number }>(`
    select t.id from tickets t where ${TEXT} @@ plainto_tsquery('simple', $1)
    union all
    select t.id from tickets t where ${NAME} @@ plainto_tsquery('simple', $1)
    limit ${WORD_IDS_CAP + 1}`, [words]);
  return rows.length > WORD_IDS_CAP ? { kind: 'scan', lexemes } : { kind: 'ids', ids: [...new Set(rows.map((r) => Number(r.id)))] };
}

/** The words as the 'simple' text search config reads them (lower case, split as it splits). */
export async function wordLexemes(sql: Sql, words: string): Promise<string[]> {
  return (await readWords(sql, words)).lexemes;
}

/**
 * The words' lexemes, and how many texts the statistics of the tickets' search vectors and of
 * the sender names' word index expect to hold them all (by the rarest of them; a lexeme
 * missing from the common ones counts as rare).
 */
async function readWords(sql: Sql, words: string): Promise<{ lexemes: string[]; estimate: number }> {
  const [row] = await sql.query<{ lexemes: string[]; estimate: number }>(`
    with w as (select coalesce(array_agg(lexeme), '{}') as lexemes from unnest(to_tsvector('simple', $1)))
    select w.lexemes, coalesce((select sum(x.freq * c.reltuples)
        from pg_stats s join pg_class c on c.relname = s.tablename
        cross join lateral (select min(coalesce(s.most_common_elem_freqs[array_position(s.most_common_elems::text::text[], l)], 0)) as freq
                              from unnest(w.lexemes) l) x
       where (s.tablename, s.attname) in (('tickets', 'search'), ('tickets_requester_name_words', 'to_tsvector'))), 0)::float8 as estimate
      from w`, [words]);
  return { lexemes: row.lexemes, estimate: Number(row.estimate) };
}

/**
 * The words as a condition on one ticket `t`, checked row by row. A name can only match if each
 * of the words' lexemes (`lexemeParams`) is in it, lower-cased: that cheap test comes first and
 * spares parsing most names into words (the 'simple' config's lexemes are lower-cased pieces
 * of the text). The text's vector is stored, so its test is a lookup.
 *
 * `indexable`: the text's test as the operator, for a count (which needs no order): among the
 * open tickets the small GIN index of their texts (migration 023) finds a word at once, where
 * checking them one by one read all ten thousand when the word is common elsewhere but rare
 * among them; elsewhere the planner, knowing how common the word is, still checks row by row
 * up to the count's cap.
 */
export function wordConditionSql(param: string, lexemeParams: string[], indexable = false): string {
  const contains = (text: string) => lexemeParams.map((l) => `strpos(lower(${text}), ${l}) > 0 and `).join('');
  const query = `plainto_tsquery('simple', ${param})`;
  return `(${indexable ? `${TEXT} @@ ${query}` : textMatches(query)}
    or (${contains('t.requester_name')}${NAME} @@ plainto_tsquery('simple', ${param})))`;
}
