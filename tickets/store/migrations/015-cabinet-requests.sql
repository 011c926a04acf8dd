-- The client cabinet, part two: "change plan" requests to the personal manager, and the
-- indexes the ticket list and search need at scale (bench:cabinet).

-- A director's request to change the plan: recorded with the terms it was asked against,
-- told to the contract's account manager by the bot (notified_at, in the transaction that
-- records the bot's message), and taken by whoever clicks "Взял в работу".
create table plan_change_requests (
  id bigserial primary key,
  client_id bigint not null references clients(id) on delete cascade,
  contract_id bigint references contracts(id) on delete set null,
  portal_user_id bigint not null references portal_users(id) on delete cascade,
  text text not null,
  terms jsonb,                            -- the contract as the client saw it; null: no contract in force
  created_at timestamptz not null default now(),
  notified_at timestamptz,
  taken_by bigint references employees(id),
  taken_at timestamptz
);
create index plan_change_requests_pending on plan_change_requests(id) where notified_at is null;
create index plan_change_requests_client on plan_change_requests(client_id, created_at);

-- A cabinet person is a contact of their client: mail from them is the client's (see
-- portal/accounts/invite-person.ts, which does this for every new invitation).
insert into client_contacts (email, client_id, name)
  select email, client_id, nullif(name, '') from portal_users on conflict (email) do nothing;

-- The ticket list filtered by status (the cabinet's most used filter), sorted by activity,
-- and its count, from the index alone.
create index tickets_client_status on tickets(client_id, status, updated_at desc, id desc);
