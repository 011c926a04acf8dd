-- When a mail was last handed to SMTP without a known outcome (a crash or a lost connection
-- after the hand-over): its next sender first looks for it in the Sent folder
-- (connectors/mail/sent-folder.ts) instead of sending it a second time. Cleared when the
-- relay answered with a refusal, i.e. when we know it did not take the mail.
alter table messages add column if not exists send_attempted_at timestamptz;

-- Bitrix24 events (pulled or pushed) as they were received, written before the portal is told
-- we have them (the saved cursor, the push's 200): a Redis that comes back empty loses the
-- queued jobs, not the clicks. Handled rows are forgotten after a week.
create table if not exists b24_event_inbox (
  job_id text primary key,
  seq bigint generated always as identity,
  name text not null,
  data jsonb not null,
  received_at timestamptz not null default now(),
  handled_at timestamptz
);
create index if not exists b24_event_inbox_open on b24_event_inbox(seq) where handled_at is null;
