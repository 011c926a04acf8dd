-- The client cabinet at scale (bench:cabinet, a million tickets): one search vector per
-- ticket, so a search by words reads one GIN index and the ticket rows of the client, not
-- every matching mail of every client (a common word stands in ten thousand mails).
--
-- tickets.search = the words of the subject and of every mail both ways (what the client
-- sees; never internal notes), without positions (the cabinet's search is "all these
-- words", not a phrase). Kept by the triggers below, whoever writes the rows.
--
-- The plpgsql bodies put their inner `;` inside lines: migrate.ts splits statements on a `;`
-- that ends a line.

alter table tickets add column search tsvector;

create function ticket_search(ticket bigint, subject text) returns tsvector language sql stable as $$
  select strip(to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce((select string_agg(coalesce(m.body_text, ''), ' ' order by m.id)
    from messages m where m.ticket_id = ticket and m.direction in ('in', 'out')), '')))
$$;

create function tickets_keep_search() returns trigger language plpgsql as $$ begin
  new.search := ticket_search(new.id, new.subject); return new; end $$;

create trigger tickets_search before insert or update of subject on tickets
  for each row execute function tickets_keep_search();

-- A new mail adds its words; a changed, moved (thread merge) or deleted one recomputes the
-- tickets concerned from their mails.
create function messages_keep_ticket_search() returns trigger language plpgsql as $$ begin
  update tickets t set search = case when tg_op = 'INSERT' then coalesce(t.search, '') || strip(to_tsvector('simple', coalesce(new.body_text, '')))
      else ticket_search(t.id, t.subject) end
    where t.id in (new.ticket_id, old.ticket_id); return null; end $$;

create trigger messages_search_insert after insert on messages
  for each row when (new.direction in ('in', 'out')) execute function messages_keep_ticket_search();
create trigger messages_search_update after update of body_text, direction, ticket_id on messages
  for each row when (old.body_text is distinct from new.body_text or old.direction is distinct from new.direction
    or old.ticket_id is distinct from new.ticket_id) execute function messages_keep_ticket_search();
create trigger messages_search_delete after delete on messages
  for each row when (old.direction in ('in', 'out')) execute function messages_keep_ticket_search();

update tickets set search = ticket_search(id, subject);

create index tickets_search on tickets using gin (search);

-- The list's other filter-and-sort pairs, each read in order from an index: a status sorted
-- by opening date, and everything by number (tickets_client_status serves a status by
-- activity, tickets_client a period by opening date, tickets_client_requester a sender).
create index tickets_client_status_created on tickets(client_id, status, created_at, id);
create index tickets_client_number on tickets(client_id, number);
