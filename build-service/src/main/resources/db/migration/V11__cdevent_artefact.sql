-- CDEvents about one artefact, joined by its purl: artifact.packaged says what it is and where its code came
-- from, build.finished (or artifact.published) says it is done. They can arrive in either order.
CREATE TABLE cdevent_artefact (
    purl              TEXT PRIMARY KEY,
    build_id          TEXT,
    build_source      TEXT,
    build_finished_at TIMESTAMPTZ,
    published_at      TIMESTAMPTZ,
    chain_id          TEXT,
    name              TEXT,
    version           TEXT,
    digest            TEXT,
    repository        TEXT,
    commit_sha        TEXT,
    features          TEXT,
    packaged_source   TEXT,
    packaged_at       TIMESTAMPTZ,
    -- the build recorded from this artefact's events, once both halves were known
    recorded_build_id TEXT
);
