-- The send claim and the pending-ack index were first written into 001 after it had landed,
-- so databases created with the first release lack them. `if not exists`: databases created
-- from that edited 001 have them already.
alter table messages add column if not exists send_claimed_by text;      -- the send job on it: its rerun may take it back, others wait
alter table messages add column if not exists send_claimed_at timestamptz; -- for the claim to go stale (a sender that crashed)
create index if not exists messages_pending_ack on messages(in_reply_to) where send_state = 'pending';
