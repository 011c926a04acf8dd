-- The send claim and the pending-ack index were written into 001 after its first release, so
-- databases created with that release lack them. `if not exists`: databases created from 001
-- as it stands have them already (001 is not edited again: a landed migration never changes).
alter table messages add column if not exists send_claimed_by text;      -- the send job on it: its rerun may take it back, others wait
alter table messages add column if not exists send_claimed_at timestamptz; -- for the claim to go stale (a sender that crashed)
create index if not exists messages_pending_ack on messages(in_reply_to) where send_state = 'pending';
