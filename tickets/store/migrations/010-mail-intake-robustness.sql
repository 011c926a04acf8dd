-- Mail is never thinned out (issue 11): a mail whose From names no usable address is kept
-- with the best address the other headers give, and marked so the bot shows "unknown sender".
alter table messages add column sender_unknown boolean not null default false;

-- Broken mailers reuse Message-IDs: one Message-ID is the same message only with the same
-- raw source or the same sender, Date, subject, text, HTML and attachments (this hash). A different mail under a used
-- Message-ID is stored under its own dedupe key (Message-ID and raw hash), so the unique
-- index on dedupe_key stays as it is.
alter table messages add column content_sha256 text;

-- Mail the store once refused, kept as "unparsed" with the error (workers/uncommittable-mail.ts):
-- listed by every /readyz, so found without reading the whole table.
create index messages_refused on messages(id) where parse_error like 'not stored as parsed:%';
