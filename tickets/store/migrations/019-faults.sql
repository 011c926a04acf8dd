-- When a mail was last handed to SMTP without a known outcome (a crash or a lost connection
-- after the hand-over): its next sender first looks for it in the Sent folder
-- (connectors/mail/sent-folder.ts) instead of sending it a second time. Cleared when the
-- relay answered with a refusal, i.e. when we know it did not take the mail.
alter table messages add column if not exists send_attempted_at timestamptz;
