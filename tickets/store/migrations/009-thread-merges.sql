-- Threads that hold: a ticket opened by a reply that arrived before its original is joined
-- into the original's ticket (tickets/merge-tickets.ts). The absorbed ticket stays, with its
-- audit trail, in the terminal status 'merged' and points at the ticket that took its mail.
alter table tickets add column merged_into bigint references tickets(id);
alter table tickets add column merged_at timestamptz;
-- Set with the merge, cleared once the bot has edited the absorbed ticket's cards and told
-- the assignees (bot/announce-merges.ts); driven from here, so a restart loses no notice.
alter table tickets add column merge_pending boolean not null default false;
create index tickets_merge_pending on tickets(id) where merge_pending;

-- Which stored mail names a Message-ID as its parent or ancestor: an arriving original finds
-- the replies that came before it (one statement per ingested slice).
create index messages_in_reply_to on messages(in_reply_to);
create index messages_references on messages using gin ("references");
