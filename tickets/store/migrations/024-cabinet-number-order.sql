-- The cabinet's list by number with a status or sender filter (bench:cabinet): without an
-- index of the client's tickets in number order for these filters, the planner walked the
-- global number index and skipped other clients' tickets, seconds for a client whose tickets
-- are not spread evenly over all numbers (one that joined late). With them the page's numbers
-- come from the client's own entries, index-only.
create index if not exists tickets_client_status_number on tickets (client_id, status, number);
create index if not exists tickets_client_requester_number on tickets (client_id, requester_email, number);
