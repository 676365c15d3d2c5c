-- The console's timeline (issue 19): every consumed event once, with the words ./twostep log prints for it, the keys
-- its filters use, and its data for the pages that draw from it (a rollout's decisions). Insert-only like the rest of
-- the read model. The identity column orders rows by when this database recorded them, which is what a live reader
-- follows; a row whose transaction commits late may appear below a number already read, so a reader looks back a
-- few seconds by recorded_at as well (see web.Timeline).
CREATE TABLE event_log (
    event_id       UUID PRIMARY KEY,
    recorded       BIGINT GENERATED ALWAYS AS IDENTITY,
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    at             TIMESTAMPTZ NOT NULL,
    type           TEXT        NOT NULL,
    subject        TEXT        NOT NULL,
    actor          TEXT,
    correlation_id TEXT,
    feature_key    TEXT,
    environment    TEXT,
    application    TEXT,
    rollout_id     TEXT,
    summary        TEXT        NOT NULL,
    data           JSONB       NOT NULL
);
CREATE INDEX event_log_at ON event_log (at);
CREATE INDEX event_log_recorded_at ON event_log (recorded_at);
CREATE INDEX event_log_correlation ON event_log (correlation_id, at);
CREATE INDEX event_log_rollout ON event_log (rollout_id, at) WHERE rollout_id IS NOT NULL;
