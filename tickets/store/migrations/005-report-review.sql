-- The monthly review in the bot, and publishing what was approved ---------------------------

-- One drafting run of a month (the monthly job, or a month run again). Its draft batches are
-- ticked off as their jobs finish; when all are done, quality control gets one review message.
create table report_runs (
  month date not null,                    -- first day of the month
  run text not null,                      -- the monthly job's stamp: a retried job is the same run
  clients integer not null,
  batches integer not null,
  done bigint[] not null default '{}',    -- first client id of every finished batch
  started_at timestamptz not null,
  drafted_at timestamptz,                 -- the last batch finished
  reviewed_at timestamptz,                -- the review message was decided (sent once, after commit)
  reviewers text[] not null default '{}', -- Bitrix24 ids it went to: they may approve from the bot
  primary key (month, run)
);
create index report_runs_to_review on report_runs(drafted_at) where reviewed_at is null and drafted_at is not null;

-- Approved reports are queued for publishing by a sweep. This is the approval that was queued,
-- so a report approved again after a re-draft is queued again.
alter table reports add column publish_queued_for timestamptz;
create index reports_approved on reports(id) where status = 'approved';
