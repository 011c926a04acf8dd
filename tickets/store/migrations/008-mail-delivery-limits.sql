-- Outgoing mail that will never go (issue 11): 'failed' when the relay refused it for good or
-- its address cannot be written at all, 'suppressed' when we held it back (an automatic mail to
-- a machine, or over the daily cap per address). Neither is retried; `send_error` says why.
alter table messages drop constraint if exists messages_send_state_check;
alter table messages add constraint messages_send_state_check check (send_state in ('pending', 'sent', 'failed', 'suppressed'));
alter table messages add column send_error text;

-- Every automatic mail we send (acknowledgements, resolution notices), counted per recipient
-- address before it goes: the last line of defence against a mail loop. Keyed by the message,
-- so a send retried after a network error is not counted twice.
create table auto_mail_sends (
  message_row_id bigint not null references messages(id),
  address text not null,
  counted_at timestamptz not null,
  primary key (message_row_id, address)
);
create index auto_mail_sends_address on auto_mail_sends(address, counted_at);
