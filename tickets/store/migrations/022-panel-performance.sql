-- The operator panel's queue over a million tickets (bench:panel). Found with EXPLAIN on its
-- seeded database:
-- "All tickets" newest or oldest first had no index in that order: each page sorted every
-- ticket (about a second at a million). The open-only views keep their partial indexes of 016.
create index tickets_created on tickets(created_at, id);
-- Search by the sender's name, by words as the subject's (014): a name pattern had no index
-- and read every ticket.
create index tickets_requester_name_words on tickets using gin (to_tsvector('simple', coalesce(requester_name, '')));
