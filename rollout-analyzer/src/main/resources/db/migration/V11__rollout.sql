-- The rollouts the analyzer follows, from the release-controller's events.
CREATE TABLE rollout (
    rollout_id          TEXT PRIMARY KEY,
    feature_key         TEXT             NOT NULL,
    environment         TEXT             NOT NULL,
    -- The plan as the RolloutStarted event carried it (JSON), so a decision can name what it judged against.
    plan                TEXT             NOT NULL,
    status              TEXT             NOT NULL,
    -- Decisions made so far: the version of the rollout's own event stream in this service.
    decisions           INTEGER          NOT NULL,
    last_decided_step   INTEGER          NOT NULL,
    correlation_id      TEXT,
    started_at          TIMESTAMPTZ      NOT NULL
);
CREATE INDEX rollout_active ON rollout (status) WHERE status = 'ACTIVE';

-- When each step of a rollout began. Release events of one rollout are keyed differently (the feature's
-- releases by feature key, the rollout's own by its id), so a step may arrive before its RolloutStarted.
CREATE TABLE rollout_step (
    rollout_id   TEXT             NOT NULL,
    percent      DOUBLE PRECISION NOT NULL,
    started_at   TIMESTAMPTZ      NOT NULL,
    event_id     TEXT             NOT NULL,
    PRIMARY KEY (rollout_id, percent)
);

CREATE INDEX metric_sample_by_arrival ON metric_sample (feature_key, environment, received_at);
