-- Every look at every Prometheus guard, so that a rejudge can replay what the judge saw (Replay): the treatment's
-- and the baseline's counts since the step began, or why the look found none. Insert-only. A look is a snapshot of
-- the step so far, not an increment, and it is keyed by rollout, step, guard and its time: a write repeated, or a
-- second replica reading a guard whose lease ran out, adds no second copy, and two looks never add up.
-- Deleted with the rollout's metric samples, a retention period after the rollout ended (SampleRetention).
CREATE TABLE guard_look (
    rollout_id         TEXT        NOT NULL,
    step               INTEGER     NOT NULL,
    guard              TEXT        NOT NULL,
    read_at            TIMESTAMPTZ NOT NULL,
    step_started_at    TIMESTAMPTZ NOT NULL,
    baseline_requests  BIGINT,
    baseline_bad       BIGINT,
    treatment_requests BIGINT,
    treatment_bad      BIGINT,
    queries            TEXT        NOT NULL,
    no_data            TEXT,
    PRIMARY KEY (rollout_id, step, guard, read_at),
    CONSTRAINT guard_look_counts_or_reason CHECK ((no_data IS NULL) = (treatment_requests IS NOT NULL
        AND treatment_bad IS NOT NULL AND baseline_requests IS NOT NULL AND baseline_bad IS NOT NULL))
);
