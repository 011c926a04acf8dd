-- The dispatcher bot's durable state. Reminders and announcements are driven from here, not
-- from timers in memory, so a restart loses none.

-- Inbound mail the bot has not told anyone about yet (a new ticket for the dispatchers, or
-- client mail for the assignee).
alter table messages add column bot_pending boolean not null default false;
create index messages_bot_pending on messages(id) where bot_pending;

-- Bot messages about a ticket that we edit later: the dispatch card, the assignee's card.
create table bot_posts (
  ticket_id bigint not null references tickets(id),
  role text not null check (role in ('dispatch', 'specialist')),
  dialog_id text not null,
  message_id bigint,                      -- null until the portal answered
  primary key (ticket_id, role)
);

-- What a person's next message to the bot is for: a reply to the client, or the time spent.
create table bot_conversations (
  b24_user_id text primary key,
  mode text not null check (mode in ('reply', 'time')),
  ticket_id bigint not null references tickets(id),
  started_at timestamptz not null
);

-- Each applied event (click, message, round) with what the bot has to say about it. The
-- change and this row commit together; the effects run after the commit and are replayed
-- from here if the process dies in between, under the same idempotency keys.
create table bot_events (
  event_key text primary key,
  effects jsonb not null,
  done_at timestamptz,
  created_at timestamptz not null default now()
);
create index bot_events_undone on bot_events(created_at) where done_at is null;

-- The latest reminder per kind and dialog; the next one replaces it.
create table bot_reminders (
  kind text not null check (kind in ('unassigned', 'missing_time')),
  dialog_id text not null,
  message_id bigint,
  sent_at timestamptz not null,
  primary key (kind, dialog_id)
);

-- Bitrix24 tasks opened for developers; the ticket stays with its specialist.
create table escalations (
  id bigserial primary key,
  ticket_id bigint not null references tickets(id),
  task_id bigint not null unique,
  chat_id bigint,
  developer_id bigint not null references employees(id),
  specialist_id bigint not null references employees(id),
  created_at timestamptz not null,
  completed_at timestamptz
);
create index escalations_ticket on escalations(ticket_id);
create index escalations_open on escalations(id) where completed_at is null;

create index tickets_unassigned on tickets(created_at) where status = 'new';
create index tickets_awaiting_time on tickets(assignee_id, closed_at) where status = 'awaiting_time';
