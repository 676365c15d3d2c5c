-- The console's read model. Every row is written once, by the event it comes from, and never updated: a projection
-- that only inserts (ON CONFLICT DO NOTHING) is idempotent, takes events in any order across topics and replicas, and
-- leaves no dead tuples, so nothing here depends on vacuum. Figures are computed when asked, from indexed ranges.

-- Deploy and release facts of the four keys, one row per event. Deploy facts name their application; release facts
-- their feature, whose application comes from feature_application when asked (the two may arrive in any order).
CREATE TABLE delivery_fact (
    event_id            UUID PRIMARY KEY,
    kind                TEXT        NOT NULL,
    environment         TEXT        NOT NULL,
    application         TEXT,
    feature_key         TEXT,
    at                  TIMESTAMPTZ NOT NULL,
    deployment_id       TEXT,
    version             TEXT,
    other_version       TEXT,
    percentage          DOUBLE PRECISION,
    users               INT,
    previous_percentage DOUBLE PRECISION,
    previous_users      INT,
    rollout_id          TEXT,
    decision_id         TEXT,
    reason              TEXT
);
-- An application's deploy facts in a window.
CREATE INDEX delivery_fact_application ON delivery_fact (environment, application, at) WHERE application IS NOT NULL;
-- The first success of a version in an environment (is a deployment in the window a redeploy?).
CREATE INDEX delivery_fact_version ON delivery_fact (environment, application, version, at)
    WHERE kind = 'deploy.succeeded';
-- A feature's release facts in a window, and its first exposure and first 100 %.
CREATE INDEX delivery_fact_feature ON delivery_fact (environment, feature_key, at) WHERE feature_key IS NOT NULL;
CREATE INDEX delivery_fact_exposure ON delivery_fact (environment, feature_key, at)
    WHERE kind = 'release.audience' AND (percentage > 0 OR users > 0);
CREATE INDEX delivery_fact_everyone ON delivery_fact (environment, feature_key, at)
    WHERE kind = 'release.audience' AND percentage >= 100;

-- An artefact version (name = application) and what it contains; its build's finish is in build.
CREATE TABLE artefact_version (
    application TEXT   NOT NULL,
    version     TEXT   NOT NULL,
    build_id    TEXT,
    commit      TEXT,
    features    TEXT[] NOT NULL,
    event_id    UUID   NOT NULL,
    PRIMARY KEY (application, version)
);

CREATE TABLE build (
    build_id    TEXT PRIMARY KEY,
    commit      TEXT        NOT NULL,
    finished_at TIMESTAMPTZ,
    event_id    UUID        NOT NULL
);

-- Which application's features a feature is: from the artefacts that contain it and from its definition.
CREATE TABLE feature_application (
    application TEXT NOT NULL,
    feature_key TEXT NOT NULL,
    PRIMARY KEY (application, feature_key)
);

-- Which application was ever deployed (successfully) where: for the gauges and GET /environments.
CREATE TABLE deployed_pair (
    environment TEXT NOT NULL,
    application TEXT NOT NULL,
    PRIMARY KEY (environment, application)
);

-- Every change to an environment, for "what changed before this moment?". An API key scoped to several environments
-- is one row per environment; a revocation, which names none, is one row under '*'. Every environment the console
-- knows has a row here, which is how it knows it.
CREATE TABLE change_log (
    event_id            UUID        NOT NULL,
    environment         TEXT        NOT NULL,
    at                  TIMESTAMPTZ NOT NULL,
    kind                TEXT        NOT NULL,
    application         TEXT,
    feature_key         TEXT,
    version             TEXT,
    previous_version    TEXT,
    commit              TEXT,
    percentage          DOUBLE PRECISION,
    previous_percentage DOUBLE PRECISION,
    users_changed       BOOLEAN     NOT NULL,
    rollout_id          TEXT,
    actor               TEXT,
    reason              TEXT,
    summary             TEXT        NOT NULL,
    correlation_id      TEXT,
    PRIMARY KEY (event_id, environment)
);
CREATE INDEX change_log_at ON change_log (environment, at);
