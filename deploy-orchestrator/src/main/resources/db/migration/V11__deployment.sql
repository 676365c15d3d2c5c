-- Artefacts as the artifact-registry announced them; a deployment may only use a known, unrevoked one.
CREATE TABLE known_artefact (
    application        TEXT        NOT NULL,
    version            TEXT        NOT NULL,
    digest             TEXT        NOT NULL,
    uri                TEXT,
    commit_sha         TEXT        NOT NULL,
    build_id           TEXT,
    -- The story of the build: deployment events continue it.
    correlation_id     TEXT        NOT NULL,
    published_event_id TEXT        NOT NULL,
    published_at       TIMESTAMPTZ NOT NULL,
    revoked            BOOLEAN     NOT NULL,
    revoked_reason     TEXT,
    PRIMARY KEY (application, version)
);

-- One row per deployment attempt.
CREATE TABLE deployment (
    id                    TEXT PRIMARY KEY,
    application           TEXT        NOT NULL,
    version               TEXT        NOT NULL,
    environment           TEXT        NOT NULL,
    digest                TEXT        NOT NULL,
    uri                   TEXT,
    commit_sha            TEXT        NOT NULL,
    build_id              TEXT,
    target_kind           TEXT        NOT NULL,
    status                TEXT        NOT NULL,
    requested_by          TEXT        NOT NULL,
    requested_at          TIMESTAMPTZ NOT NULL,
    started_at            TIMESTAMPTZ,
    finished_at           TIMESTAMPTZ,
    deadline              TIMESTAMPTZ,
    replaced_version      TEXT,
    reason                TEXT,
    rollback_from_version TEXT,
    rollback_reason       TEXT,
    correlation_id        TEXT        NOT NULL,
    idempotency_key       TEXT UNIQUE,
    -- Kubernetes only: the Deployment's metadata.generation once the image is set.
    target_generation     BIGINT
);
CREATE INDEX deployment_by_application ON deployment (application, requested_at DESC);
-- At most one deployment of an application in flight per environment, even under concurrent requests.
CREATE UNIQUE INDEX deployment_one_in_flight ON deployment (application, environment)
    WHERE status IN ('REQUESTED', 'STARTED');

-- What runs where: the last succeeded deployment of each application in each environment.
CREATE TABLE inventory (
    environment   TEXT        NOT NULL,
    application   TEXT        NOT NULL,
    version       TEXT        NOT NULL,
    digest        TEXT        NOT NULL,
    commit_sha    TEXT        NOT NULL,
    build_id      TEXT,
    since         TIMESTAMPTZ NOT NULL,
    deployment_id TEXT        NOT NULL,
    PRIMARY KEY (environment, application)
);

CREATE TABLE approval (
    environment TEXT        NOT NULL,
    application TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    approved_by TEXT        NOT NULL,
    approved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (environment, application, version, approved_by)
);
