-- Mail intake at speed (bench:ingest): the ticket search vector (021) and the live-page
-- announcements (016) kept once per statement where they were kept once per row.
--
-- An ingested slice inserts its mails and acknowledgements in one statement. Per row, each
-- inserted message updated its ticket's search vector on its own, an acknowledgement (no text
-- yet) included: a new ticket was written three times, each time through all of its indexes
-- (three of them GIN over words). Per statement, each ticket gets one update with the words of
-- all its new mails, and none when they bring no words. Sending an acknowledgement fills its
-- text in; that added its words by reading every mail of the ticket again, where appending
-- them gives the same vector (the old text had no words to take away).
--
-- The vectors are the same as before: stripped, a set of words, and `to_tsvector` of texts
-- joined with a space has the words of each text (the same join ticket_search makes).
-- The plpgsql bodies put their inner `;` inside lines: migrate.ts splits statements on a `;`
-- that ends a line.

create function messages_add_ticket_search() returns trigger language plpgsql as $$ begin
  update tickets t set search = coalesce(t.search, '') || w.words
    from (select n.ticket_id, strip(to_tsvector('simple', string_agg(n.body_text, ' '))) as words from new_rows n
           where n.direction in ('in', 'out') and coalesce(n.body_text, '') <> '' group by n.ticket_id) w
   where t.id = w.ticket_id; return null; end $$;

drop trigger messages_search_insert on messages;
create trigger messages_search_insert after insert on messages
  referencing new table as new_rows for each statement execute function messages_add_ticket_search();

-- A text filled in where there was none (an outgoing mail as sent) only adds words; any other
-- change recomputes the tickets concerned from their mails, as before.
create or replace function messages_keep_ticket_search() returns trigger language plpgsql as $$ begin
  if tg_op = 'UPDATE' and old.ticket_id = new.ticket_id and old.direction = new.direction and new.direction in ('in', 'out')
     and coalesce(old.body_text, '') = '' then
    update tickets t set search = coalesce(t.search, '') || strip(to_tsvector('simple', coalesce(new.body_text, '')))
     where t.id = new.ticket_id; return null; end if; update tickets t
     set search = case when tg_op = 'INSERT' then coalesce(t.search, '') || strip(to_tsvector('simple', coalesce(new.body_text, '')))
      else ticket_search(t.id, t.subject) end
    where t.id in (new.ticket_id, old.ticket_id); return null; end $$;

-- Live pages: one announcement per ticket a statement inserted mail into (PostgreSQL delivers
-- one of equal announcements in a transaction anyway); updates stay per row.
create function messages_announce_inserted() returns trigger language plpgsql as $$ begin
  perform pg_notify('modest_ticket', t.number::text) from tickets t where t.id in (select ticket_id from new_rows); return null; end $$;

drop trigger messages_changed on messages;
create trigger messages_changed after update on messages for each row execute function modest_ticket_part_changed();
create trigger messages_inserted after insert on messages
  referencing new table as new_rows for each statement execute function messages_announce_inserted();

-- A ticket being inserted has no mail yet (a message must name an existing ticket), so its
-- vector is its subject's words: no look into messages for each new ticket.
create or replace function tickets_keep_search() returns trigger language plpgsql as $$ begin
  if tg_op = 'INSERT' then new.search := strip(to_tsvector('simple', coalesce(new.subject, ''))); return new; end if; new.search :=
    ticket_search(new.id, new.subject); return new; end $$;
