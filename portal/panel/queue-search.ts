import type { Sql } from '../../tickets/store/db.js';

/**
 * How the queue finds tickets by words (subject, sender's name, any mail of the thread) without
 * reading a million tickets: either by the word indexes (a list of the matching tickets' ids,
 * when the words are rare enough) or ticket by ticket along the queue's order (when the view is
 * one person's queue, or the words are so common that the first page fills at once).
 */
export type WordSearch =
  | { kind: 'ids'; ids: number[] }
  | { kind: 'scan'; lexemes: string[] };

/** More matches than this and the words are common: walking the queue's order finds a page sooner. */
export const WORD_IDS_CAP = 1000;

const SUBJECT = "to_tsvector('simple', t.subject)";
const NAME = "to_tsvector('simple', coalesce(t.requester_name, ''))";
const BODY = "to_tsvector('simple', coalesce(m.body_text, ''))";

/**
 * The tickets that the words match, from the GIN indexes of migrations 014 and 022, or "scan"
 * when more than WORD_IDS_CAP match (reading them all would cost more than it saves). Whether
 * they do is first judged by the statistics of those indexes (which words are common and how
 * common), since even collecting WORD_IDS_CAP matches of a common word builds a bitmap of all.
 */
export async function findWordMatches(sql: Sql, words: string): Promise<WordSearch> {
  const { lexemes, estimate } = await readWords(sql, words);
  if (estimate > WORD_IDS_CAP) return { kind: 'scan', lexemes };
  // `union all` under a limit stops reading at the cap (a `union` would first collect every match).
  const rows = await sql.query<{ id: number }>(`
    select t.id from tickets t where ${SUBJECT} @@ plainto_tsquery('simple', $1)
    union all
    select t.id from tickets t where ${NAME} @@ plainto_tsquery('simple', $1)
    union all
    select m.ticket_id from messages m where m.direction in ('in', 'out') and ${BODY} @@ plainto_tsquery('simple', $1)
    limit ${WORD_IDS_CAP + 1}`, [words]);
  return rows.length > WORD_IDS_CAP ? { kind: 'scan', lexemes } : { kind: 'ids', ids: [...new Set(rows.map((r) => Number(r.id)))] };
}

/** The words as the 'simple' text search config reads them (lower case, split as it splits). */
export async function wordLexemes(sql: Sql, words: string): Promise<string[]> {
  return (await readWords(sql, words)).lexemes;
}

/**
 * The words' lexemes, and how many texts the word indexes' statistics expect to hold them all
 * (by the rarest of them; a lexeme missing from the common ones counts as rare).
 */
async function readWords(sql: Sql, words: string): Promise<{ lexemes: string[]; estimate: number }> {
  const [row] = await sql.query<{ lexemes: string[]; estimate: number }>(`
    with w as (select coalesce(array_agg(lexeme), '{}') as lexemes from unnest(to_tsvector('simple', $1)))
    select w.lexemes, coalesce((select sum(x.freq * c.reltuples)
        from pg_stats s join pg_class c on c.relname = s.tablename
        cross join lateral (select min(coalesce(s.most_common_elem_freqs[array_position(s.most_common_elems::text::text[], l)], 0)) as freq
                              from unnest(w.lexemes) l) x
       where s.tablename in ('tickets_subject_words', 'tickets_requester_name_words', 'messages_body_words')
         and s.attname = 'to_tsvector'), 0)::float8 as estimate
      from w`, [words]);
  return { lexemes: row.lexemes, estimate: Number(row.estimate) };
}

/**
 * The words as a condition on one ticket `t`, checked row by row. `offset 0` keeps the planner
 * from turning the thread check into a hash of every matching mail of all tickets (it
 * underestimates common words badly, and that hash then takes seconds). A text can only match
 * if each of the words' lexemes (`lexemeParams`) is in it, lower-cased: that cheap test comes
 * first and spares parsing most texts into words (the 'simple' config's lexemes are
 * lower-cased pieces of the text).
 */
export function wordConditionSql(param: string, lexemeParams: string[]): string {
  const contains = (text: string) => lexemeParams.map((l) => `strpos(lower(${text}), ${l}) > 0 and `).join('');
  return `((${contains('t.subject')}${SUBJECT} @@ plainto_tsquery('simple', ${param}))
    or (${contains('t.requester_name')}${NAME} @@ plainto_tsquery('simple', ${param}))
    or exists (select 1 from messages m where m.ticket_id = t.id and m.direction in ('in', 'out')
                  and ${contains('m.body_text')}${BODY} @@ plainto_tsquery('simple', ${param}) offset 0))`;
}
