-- The operator panel's queue at a million tickets, every view by every status and order
-- (bench:panel; each plan read with EXPLAIN (ANALYZE) on its seeded database).
--
-- Who holds a ticket, its department and its status go together (the unassigned are new, the
-- resolved have someone). Taken as independent, "unassigned and resolved" was expected to be
-- ten thousand tickets, and the planner walked every ticket by activity to fill a page of
-- none (a second and a half). The statistics of the pairs say which pairs are rare.
create statistics tickets_assignee_status_stats (mcv) on assignee_id, status from tickets;
create statistics tickets_department_status_stats (mcv) on department_id, status from tickets;

-- One person's or one department's open tickets in each order, from their own small index.
-- In the index of all open tickets by activity an operator's oldest tickets came after ten
-- thousand unassigned new ones (0.6 s to fill a page of "mine"). The queue's "open" counts
-- 'new' (016's tickets_assignee_open does not, so the queue could not use it). Without the
-- unassigned and the department-less, which the planner then also took for the unassigned
-- view's count in place of its index-only one.
create index tickets_assignee_open_created on tickets(assignee_id, created_at, id)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time') and assignee_id is not null;
create index tickets_assignee_open_updated on tickets(assignee_id, updated_at desc, id desc)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time') and assignee_id is not null;
create index tickets_department_open_created on tickets(department_id, created_at, id)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time') and department_id is not null;
create index tickets_department_open_updated on tickets(department_id, updated_at desc, id desc)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time') and department_id is not null;
-- One open status by activity (a board column, a status filter): the same walk past the other
-- open statuses' tickets; tickets_status (001) serves it by age.
create index tickets_open_status_updated on tickets(status, updated_at desc, id desc)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time');

-- Words among the open tickets (the queue's default status), counted: a word in a tenth of all
-- tickets may be in a hundred of the ten thousand open ones, and checking those one by one
-- read every open ticket (50 ms); the index of the whole text (021) builds a bitmap of all
-- hundred thousand. This one holds the open tickets' texts only.
create index tickets_open_search on tickets using gin (search)
  where status in ('new', 'assigned', 'in_progress', 'escalated', 'awaiting_time');

analyze tickets;
