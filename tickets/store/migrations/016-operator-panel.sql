-- The operator panel (portal/panel/): staff sign in with a short-lived link signed for their
-- Bitrix24 user (no password), which becomes a session here. Session ids are kept only as
-- sha256, as the cabinet's are. A link works once: its nonce is remembered until it expires.
create table staff_sessions (
  id_sha256 text primary key,
  employee_id bigint not null references employees(id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index staff_sessions_employee on staff_sessions(employee_id);

create table staff_link_uses (
  nonce text primary key,
  employee_id bigint not null references employees(id) on delete cascade,
  used_at timestamptz not null,
  expires_at timestamptz not null
);

-- The queue: an operator's open tickets by age, a department's, the unassigned, everything by
-- last activity; search by sender.
create index tickets_assignee_open on tickets(assignee_id, created_at, id) where status in ('assigned', 'in_progress', 'escalated', 'awaiting_time');
create index tickets_department_status on tickets(department_id, status, created_at, id);
create index tickets_updated on tickets(updated_at desc, id desc);
create index tickets_open_created on tickets(created_at, id) where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time');
create index tickets_open_updated on tickets(updated_at desc, id desc) where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time');
create index tickets_requester on tickets(lower(requester_email));

-- Live pages: every change of a ticket or its thread is announced on one channel with the
-- ticket's number, whichever process made it (the bot's worker, the web, the intake); the web
-- process listens and tells the open pages (server-sent events).
create function modest_ticket_changed() returns trigger language plpgsql as $$ begin perform pg_notify('modest_ticket', new.number::text); return null; end $$;
create function modest_ticket_part_changed() returns trigger language plpgsql as $$ begin perform pg_notify('modest_ticket', (select number from tickets where id = new.ticket_id)::text); return null; end $$;
create trigger tickets_changed after insert or update on tickets for each row execute function modest_ticket_changed();
create trigger messages_changed after insert or update on messages for each row execute function modest_ticket_part_changed();
create trigger time_entries_changed after insert on time_entries for each row execute function modest_ticket_part_changed();
