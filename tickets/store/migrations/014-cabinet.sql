-- The client cabinet (portal/): people of a client company who sign in, their one-time
-- links, sessions and failed logins. Passwords are argon2id hashes; links and session ids
-- are kept only as sha256, so a copy of the database signs nobody in.

create table portal_users (
  id bigserial primary key,
  client_id bigint not null references clients(id) on delete cascade,
  email text not null unique check (email = lower(email)),
  name text not null default '',
  role text not null check (role in ('director', 'employee')),
  language text not null default 'ru' check (language in ('ru', 'en')),
  password_hash text,                     -- null until the invitation link is used
  failed_logins integer not null default 0,
  locked_until timestamptz,
  invited_by text not null,               -- operator:{name} | portal:{user id}
  created_at timestamptz not null default now(),
  activated_at timestamptz
);
create index portal_users_client on portal_users(client_id);

-- One-time links: set a password after an invitation, or after "forgot password".
create table portal_tokens (
  token_sha256 text primary key,
  user_id bigint not null references portal_users(id) on delete cascade,
  purpose text not null check (purpose in ('invite', 'reset')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index portal_tokens_user on portal_tokens(user_id);

create table portal_sessions (
  id_sha256 text primary key,
  user_id bigint not null references portal_users(id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index portal_sessions_user on portal_sessions(user_id);

-- Failed sign-ins per address of the request: the rate limit holds across web processes.
create table portal_login_failures (
  id bigserial primary key,
  ip text not null,
  email text not null,
  created_at timestamptz not null default now()
);
create index portal_login_failures_ip on portal_login_failures(ip, created_at);

-- The cabinet's ticket list: per client by last activity, by sender, and search by words.
create index tickets_client_updated on tickets(client_id, updated_at desc, id desc);
create index tickets_client_requester on tickets(client_id, requester_email, updated_at desc);
create index tickets_subject_words on tickets using gin (to_tsvector('simple', subject));
create index messages_body_words on messages using gin (to_tsvector('simple', coalesce(body_text, ''))) where direction in ('in', 'out');
