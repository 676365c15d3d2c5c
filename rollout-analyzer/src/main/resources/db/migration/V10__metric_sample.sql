-- Metric samples, from HTTP or from twostep.metrics. The sample id makes a repeated batch harmless.
CREATE TABLE metric_sample (
    sample_id    TEXT PRIMARY KEY,
    application  TEXT,
    environment  TEXT        NOT NULL,
    feature_key  TEXT        NOT NULL,
    variant      TEXT        NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    window_end   TIMESTAMPTZ NOT NULL,
    requests     BIGINT      NOT NULL,
    errors       BIGINT      NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX metric_sample_by_feature ON metric_sample (feature_key, environment, window_end);
