-- The latest reading of each Prometheus guard of each rollout. One row per guard: the poller claims due rows with
-- FOR UPDATE SKIP LOCKED and a lease (next_poll_at moved ahead), so one replica polls each guard at a time and
-- another takes over when a replica dies mid-poll. The judge reads the counts; a failed look leaves no counts and
-- says why in no_data.
CREATE TABLE guard_poll (
    rollout_id         TEXT        NOT NULL,
    guard              TEXT        NOT NULL,
    next_poll_at       TIMESTAMPTZ NOT NULL,
    failures           INTEGER     NOT NULL DEFAULT 0,
    step_started_at    TIMESTAMPTZ,
    read_at            TIMESTAMPTZ,
    control_requests   BIGINT,
    control_bad        BIGINT,
    treatment_requests BIGINT,
    treatment_bad      BIGINT,
    queries            TEXT,
    no_data            TEXT,
    PRIMARY KEY (rollout_id, guard)
);
CREATE INDEX guard_poll_due ON guard_poll (next_poll_at);
