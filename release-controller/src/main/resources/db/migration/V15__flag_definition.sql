-- A feature's flag in an environment may be a flagd flag definition instead of an audience.
ALTER TABLE feature_release ADD COLUMN definition TEXT;           -- flagd flag definition (JSON); null for an audience
ALTER TABLE feature_release ADD COLUMN segments TEXT;             -- JSON object: the segments it references, as written
ALTER TABLE feature_release ADD COLUMN serves_non_default BOOLEAN NOT NULL DEFAULT false;

-- Each environment's segments (flagd's $evaluators), the current rule of each.
CREATE TABLE segment (
    id          TEXT PRIMARY KEY,          -- environment/name
    environment TEXT NOT NULL,
    name        TEXT NOT NULL,
    rule        TEXT NOT NULL,             -- JsonLogic condition
    sequence    BIGINT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX segment_environment ON segment (environment);
