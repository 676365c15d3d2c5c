-- Read model of builds; the event store is the source of truth and can rebuild it.
CREATE TABLE build (
    build_id    TEXT PRIMARY KEY,
    ci_system   TEXT        NOT NULL,
    run_url     TEXT        NOT NULL,
    repository  TEXT        NOT NULL,
    commit_sha  TEXT        NOT NULL,
    branch      TEXT,
    outcome     TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    artefacts   TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX build_by_commit ON build (repository, commit_sha);
CREATE INDEX build_by_commit_only ON build (commit_sha);
