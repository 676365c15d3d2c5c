-- guard_poll must stay small on servers that run with autovacuum off, where every look rewrites its guard's row
-- (twice: the claim's lease, then the look). Before this, next_poll_at was indexed, so no update could be HOT: each
-- left a dead row and a dead index entry behind that only VACUUM removes, and the poller's due-scan walked the dead
-- entries (three 1,000-rollout benchmark runs: 181,786 updates, none HOT, 181,786 dead rows, 15 MB for 6,000 live).
--
-- Now no index covers a column a look writes, and each page keeps half its space free for the next versions of its
-- rows: a look is a HOT update on the same page, and the page's old versions are pruned whenever it is read again,
-- without vacuum. The due-scan reads the whole table, which holds the guards of active rollouts only: an ended
-- rollout's rows are deleted with its end (GuardPolls.forget), so the scan costs what is running, not what ever ran.
-- What pruning cannot free, deleted rows and the rare update that found no room, GuardPollVacuum vacuums on a
-- schedule.
DROP INDEX guard_poll_due;
ALTER TABLE guard_poll SET (fillfactor = 50);
DELETE FROM guard_poll p
WHERE NOT EXISTS (SELECT 1 FROM rollout r WHERE r.rollout_id = p.rollout_id AND r.status = 'ACTIVE');
