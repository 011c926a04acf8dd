-- Clients, contracts, staff -------------------------------------------------------------
create table clients (
  id bigserial primary key,
  company text not null,
  language text not null default 'ru' check (language in ('ru', 'en')),
  created_at timestamptz not null default now()
);

-- Contact e-mails and mail domains identify the client of an incoming mail.
create table client_contacts (
  email text primary key check (email = lower(email)),
  client_id bigint not null references clients(id) on delete cascade,
  name text,
  receives_reports boolean not null default false
);
create index client_contacts_client on client_contacts(client_id);

create table client_domains (
  domain text primary key check (domain = lower(domain)),
  client_id bigint not null references clients(id) on delete cascade
);

create table departments (
  id bigserial primary key,
  b24_id text not null unique,
  name text not null,
  is_support boolean not null default false,
  is_developers boolean not null default false
);

create table employees (
  id bigserial primary key,
  b24_user_id text not null unique,
  name text not null,
  email text,
  department_id bigint references departments(id),
  language text not null default 'ru' check (language in ('ru', 'en')),
  active boolean not null default true
);

create table contracts (
  id bigserial primary key,
  client_id bigint not null references clients(id) on delete cascade,
  number text not null,
  subject text not null default '',
  start_date date not null,
  end_date date,
  support_type text not null,
  portal_url text,
  portal_type text,
  monthly_fee numeric(12, 2) not null default 0,
  currency text not null default 'RUB',
  package_hours numeric(8, 2),            -- null: unlimited
  hourly_rate numeric(12, 2) not null default 0,
  over_package_rate numeric(12, 2) not null default 0,
  bonus_hours numeric(8, 2) not null default 0,
  account_manager_id bigint references employees(id),
  created_at timestamptz not null default now()
);
create index contracts_client on contracts(client_id);

-- Tickets --------------------------------------------------------------------------------
create sequence ticket_number_seq start with 1000;

create table tickets (
  id bigserial primary key,
  number bigint not null unique default nextval('ticket_number_seq'),
  status text not null,
  client_id bigint references clients(id),   -- null: unknown client
  requester_email text,
  requester_name text,
  subject text not null,
  unparsed boolean not null default false,
  department_id bigint references departments(id),
  assignee_id bigint references employees(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  assigned_at timestamptz,
  accepted_at timestamptz,
  escalated_at timestamptz,
  closed_at timestamptz,
  resolved_at timestamptz,
  reopened_at timestamptz
);
create index tickets_status on tickets(status, created_at);
create index tickets_client on tickets(client_id, created_at);
create index tickets_assignee on tickets(assignee_id, status);

create table messages (
  id bigserial primary key,
  ticket_id bigint not null references tickets(id),
  direction text not null check (direction in ('in', 'out', 'note')),
  kind text not null default 'mail',      -- in: mail; out: ack | reply | resolved; note: text
  dedupe_key text unique,                 -- inbound only: Message-ID, or sha256 of the raw source
  message_id text,                        -- RFC 5322 Message-ID, without angle brackets
  in_reply_to text,
  "references" text[] not null default '{}',
  from_address text,
  from_name text,
  to_addresses text[] not null default '{}',
  cc_addresses text[] not null default '{}',
  subject text,
  body_text text,
  body_html text,                         -- sanitized
  attachments jsonb not null default '[]',
  raw_sha256 text,                        -- pointer to the stored raw source
  auto_kind text,                         -- auto_reply | bounce | bulk: kept, never answered
  unparsed boolean not null default false,
  parse_error text,
  language text,
  author_employee_id bigint references employees(id),
  send_state text check (send_state in ('pending', 'sent')),
  send_claimed_by text,                   -- the send job on it: its rerun may take it back, others wait
  send_claimed_at timestamptz,            -- for the claim to go stale (a sender that crashed)
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index messages_ticket on messages(ticket_id, id);
create index messages_message_id on messages(message_id);
create index messages_pending on messages(id) where send_state = 'pending';
create index messages_pending_ack on messages(in_reply_to) where send_state = 'pending';

-- Where each inbound mail came from, so the mailbox is marked only after the commit.
create table mail_receipts (
  source_key text primary key,            -- imap:{mailbox}:{uidvalidity}:{uid} | drop:{file}
  mailbox text not null,
  message_row_id bigint not null references messages(id),
  created_at timestamptz not null default now(),
  marked_at timestamptz
);
create index mail_receipts_unmarked on mail_receipts(mailbox) where marked_at is null;

create table time_entries (
  id bigserial primary key,
  ticket_id bigint not null references tickets(id),
  employee_id bigint references employees(id),
  minutes integer not null check (minutes > 0),
  billable boolean not null,
  created_at timestamptz not null default now()
);
create index time_entries_ticket on time_entries(ticket_id);

create table audit_log (
  id bigserial primary key,
  ticket_id bigint references tickets(id),
  actor text not null,                    -- client:{email} | employee:{id} | system
  action text not null,
  channel text not null check (channel in ('mail', 'bot', 'web', 'system')),
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_ticket on audit_log(ticket_id, id);
