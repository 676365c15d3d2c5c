-- Read model of features: where they come from (application) and what they do.
CREATE TABLE feature (
    feature_key TEXT PRIMARY KEY,
    application TEXT,
    description TEXT,
    defined_at  TIMESTAMPTZ NOT NULL
);
