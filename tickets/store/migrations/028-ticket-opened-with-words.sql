-- Mail intake at speed (bench:ingest): a ticket opened by a mail is written once, not twice.
--
-- A new ticket's vector was its subject's words (025), and the insert of its opening mail then
-- added the mail's words: a second write of the ticket through every one of its indexes (three
-- of them GIN, each taking every word of the vector again). The intake now inserts the ticket
-- with the words of its mails of the slice (its opening mail and acknowledgement; see
-- tickets/record-inbound-mails.ts) and names it in `modest.tickets_with_words` for the rest of
-- its transaction: the mails' insert leaves such tickets alone, and updates any other only
-- when the words it brings change its vector.
--
-- The vectors are the same as before: the union of the subject's words and the mails' words,
-- which the mails' insert made too (a stripped vector is a set of words, so adding words it
-- holds already changes nothing). Whoever inserts a ticket without words gets its subject's.
-- The plpgsql bodies put their inner `;` inside lines: migrate.ts splits statements on a `;`
-- that ends a line.

create or replace function tickets_keep_search() returns trigger language plpgsql as $$ begin
  if tg_op = 'INSERT' then new.search := strip(to_tsvector('simple', coalesce(new.subject, ''))) || coalesce(new.search, ''); return new; end if; new.search :=
    ticket_search(new.id, new.subject); return new; end $$;

create or replace function messages_add_ticket_search() returns trigger language plpgsql as $$ begin
  update tickets t set search = coalesce(t.search, '') || w.words
    from (select n.ticket_id, strip(to_tsvector('simple', string_agg(n.body_text, ' '))) as words from new_rows n
           where n.direction in ('in', 'out') and coalesce(n.body_text, '') <> ''
             and n.ticket_id <> all(string_to_array(coalesce(current_setting('modest.tickets_with_words', true), ''), ',')::bigint[])
           group by n.ticket_id) w
   where t.id = w.ticket_id and (t.search is null or t.search || w.words <> t.search); return null; end $$;
