-- What this service knows of other services' facts, enough to keep "release needs deploy".
-- The features each published artefact version contains (from ArtefactPublished).
CREATE TABLE artefact_contents (
    artefact_id TEXT PRIMARY KEY,          -- name@version
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    features    TEXT NOT NULL              -- JSON array of feature keys
);

-- The version of each application that runs in each environment (from DeploymentSucceeded only).
CREATE TABLE running_version (
    id            TEXT PRIMARY KEY,        -- environment/application
    environment   TEXT NOT NULL,
    application   TEXT NOT NULL,
    version       TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    since         TIMESTAMPTZ NOT NULL
);
CREATE INDEX running_version_environment ON running_version (environment);

-- The current audience of a feature in an environment; the OFREP snapshot is rebuilt from it.
CREATE TABLE feature_release (
    id          TEXT PRIMARY KEY,          -- featureKey/environment
    feature_key TEXT NOT NULL,
    environment TEXT NOT NULL,
    percentage  DOUBLE PRECISION NOT NULL,
    users       TEXT NOT NULL,             -- JSON array of targeting keys that are always in
    rollout_id  TEXT,                      -- the rollout that set this audience, if any
    sequence    BIGINT NOT NULL,           -- the feature's event sequence that set it
    changed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX feature_release_feature ON feature_release (feature_key);
CREATE INDEX feature_release_environment ON feature_release (environment);

CREATE TABLE rollout (
    rollout_id  TEXT PRIMARY KEY,
    feature_key TEXT NOT NULL,
    environment TEXT NOT NULL,
    plan        TEXT NOT NULL,             -- JSON of the plan
    status      TEXT NOT NULL,             -- ACTIVE, COMPLETED, ABORTED
    step        INTEGER NOT NULL,          -- 1-based: the audience is at plan.steps[step - 1]
    percentage  DOUBLE PRECISION NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    end_reason  TEXT
);
CREATE INDEX rollout_feature ON rollout (feature_key, environment);
