-- The append-only log of every event this service has decided. The unique key on
-- (aggregate_id, sequence) is the optimistic concurrency check: two writers that loaded
-- the same version cannot both append the next one.
CREATE TABLE event_store (
    position       BIGSERIAL PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    aggregate_id   TEXT        NOT NULL,
    sequence       BIGINT      NOT NULL,
    type           TEXT        NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    correlation_id TEXT,
    causation_id   TEXT,
    actor          TEXT,
    traceparent    TEXT,
    data           JSONB       NOT NULL,
    CONSTRAINT event_store_aggregate_sequence UNIQUE (aggregate_id, sequence)
);

-- Events waiting to be published, written in the same transaction as the event store.
-- The relay publishes in id order, which keeps each aggregate's events in sequence order.
CREATE TABLE outbox (
    id       BIGSERIAL PRIMARY KEY,
    event_id UUID        NOT NULL UNIQUE,
    sent_at  TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Events this service has already applied; written in the same transaction as the effect.
CREATE TABLE processed_event (
    event_id     UUID PRIMARY KEY,
    type         TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
