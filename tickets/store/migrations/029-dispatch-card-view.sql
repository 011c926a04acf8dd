-- The step a dispatch card is on: a department's people, or the reasons for "not a request".
-- The choice lived only in the message's buttons, so a redraw with news on the ticket (our mail
-- to the client bounced) put the card back on the departments under the dispatcher's finger.
-- Null: the departments. {"department": id} or {"reasons": true}: that step (bot/dispatch-view.ts).
alter table bot_posts add column view jsonb;
