-- Small durable state of the Bitrix24 connector: the event cursor, the bot's id, OAuth tokens.
create table connector_state (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
