-- The outbox becomes the tail of event_store past the relay's cursor: nothing published is written twice, marked or
-- deleted, so the relay's read does not grow with history and needs no vacuum (see OutboxRelay and RelayCursor).
-- One row: every position up to published_through is published, except the gaps (from..to, each with the
-- transaction-id horizon its writer is older than) that the relay passed while they were not yet visible.
CREATE TABLE outbox_cursor (
    singleton         BOOLEAN  PRIMARY KEY DEFAULT true CHECK (singleton),
    published_through BIGINT   NOT NULL,
    gap_from          BIGINT[] NOT NULL DEFAULT '{}',
    gap_to            BIGINT[] NOT NULL DEFAULT '{}',
    gap_horizon       BIGINT[] NOT NULL DEFAULT '{}'
);

-- An existing database continues where its old relay stood: just before the first unsent event (events after it
-- that were sent go out once more, which consumers deduplicate), or after the last event when all were sent.
INSERT INTO outbox_cursor (published_through)
SELECT coalesce((SELECT min(e.position) - 1 FROM outbox o JOIN event_store e USING (event_id) WHERE o.sent_at IS NULL),
                (SELECT max(position) FROM event_store),
                0);

DROP TABLE outbox;

-- For people, tests and benchmarks: the committed events the relay has not published yet.
CREATE VIEW outbox_unpublished AS
SELECT e.* FROM event_store e, outbox_cursor c
WHERE e.position > c.published_through
   OR EXISTS (SELECT 1 FROM unnest(c.gap_from, c.gap_to) AS gap (first, last)
              WHERE e.position BETWEEN gap.first AND gap.last);

-- Events this service applied are forgotten after the inbox retention (InboxRetention); this finds the old ones.
CREATE INDEX processed_event_by_age ON processed_event (processed_at);
