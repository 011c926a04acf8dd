-- Monthly reports, package alerts ---------------------------------------------------------

-- One client's report for one month. Re-drafting with nothing changed keeps the same row; a
-- draft or approved report whose data changed is redrafted in place (back to draft); a
-- published one is never touched: the change becomes the next version.
create table reports (
  id bigserial primary key,
  client_id bigint not null references clients(id) on delete cascade,
  month date not null,                    -- first day of the month
  version integer not null check (version > 0),
  status text not null default 'draft' check (status in ('draft', 'approved', 'published')),
  content_sha256 text not null,           -- of the report data and what renders it
  pdf_sha256 text not null,               -- content address of the PDF in the blob store
  pdf_bytes integer not null,
  data jsonb not null,                    -- the report as rendered (tickets, totals, problems)
  held boolean not null,                  -- closed tickets without time: cannot be approved
  ticket_count integer not null,
  billable_minutes integer not null,
  missing_time_count integer not null,
  open_count integer not null,
  drafted_at timestamptz not null default now(),
  approved_at timestamptz,
  approved_by text,
  published_at timestamptz,
  published_to text[] not null default '{}',
  unique (client_id, month, version)
);
create index reports_month on reports(month, client_id, version);

-- 80 % and 100 % of a client's package hours, each recorded once per month; notified_at is
-- set once the account manager has been told (delivery is retried until then).
create table package_alerts (
  id bigserial primary key,
  client_id bigint not null references clients(id) on delete cascade,
  contract_id bigint references contracts(id) on delete set null,
  month date not null,
  threshold integer not null check (threshold in (80, 100)),
  used_minutes integer not null,
  package_minutes integer not null,
  created_at timestamptz not null default now(),
  notified_at timestamptz,
  unique (client_id, month, threshold)
);
create index package_alerts_pending on package_alerts(id) where notified_at is null;

-- A month's closed tickets, across clients (package alerts) and per client (reports).
create index tickets_closed on tickets(closed_at) where closed_at is not null;
create index tickets_client_closed on tickets(client_id, closed_at);
