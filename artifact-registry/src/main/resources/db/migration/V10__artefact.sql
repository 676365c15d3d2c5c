-- Read model of artefact versions with their provenance; rebuilt from the event store on demand.
CREATE TABLE artefact (
    name           TEXT        NOT NULL,
    version        TEXT        NOT NULL,
    digest         TEXT        NOT NULL,
    uri            TEXT        NOT NULL,
    build_id       TEXT,
    run_url        TEXT,
    repository     TEXT        NOT NULL,
    commit_sha     TEXT        NOT NULL,
    features       TEXT        NOT NULL,
    published_at   TIMESTAMPTZ NOT NULL,
    status         TEXT        NOT NULL,
    revoked_reason TEXT,
    PRIMARY KEY (name, version)
);
CREATE INDEX artefact_by_commit ON artefact (commit_sha);
