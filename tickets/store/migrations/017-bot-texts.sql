-- The bot's Russian texts agree with the person they name ("назначила"): the portal's
-- PERSONAL_GENDER, read with the staff directory. Null: the portal does not say (the bot
-- then guesses from the name, or uses a phrasing that needs no gender).
alter table employees add column gender text check (gender in ('M', 'F'));

-- The message that asked for a reply or the time: once the answer is in, its Cancel button
-- is taken away, so Cancel never undoes what is already done.
alter table bot_conversations add column prompt_message_id bigint;
