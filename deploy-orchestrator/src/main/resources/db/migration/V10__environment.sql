-- Read model of environments and their promotion rules.
CREATE TABLE environment (
    name                     TEXT PRIMARY KEY,
    promotes_from            TEXT,
    requires_approval        BOOLEAN     NOT NULL,
    auto_rollback_on_failure BOOLEAN     NOT NULL,
    target_kind              TEXT        NOT NULL,
    target_namespace         TEXT,
    target_deployment_name   TEXT,
    target_container         TEXT,
    updated_at               TIMESTAMPTZ NOT NULL
);
