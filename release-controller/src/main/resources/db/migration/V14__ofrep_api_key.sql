-- Keys that applications present to evaluate flags over OFREP. Only a SHA-256 of each secret is kept: the secret is
-- shown once, when the key is issued. A revoked key stays listed, with who revoked it and when.
CREATE TABLE ofrep_api_key (
    key_id       TEXT PRIMARY KEY,
    name         TEXT        NOT NULL,
    secret_hash  TEXT        NOT NULL UNIQUE,
    environments TEXT        NOT NULL,
    issued_by    TEXT        NOT NULL,
    issued_at    TIMESTAMPTZ NOT NULL,
    revoked_by   TEXT,
    revoked_at   TIMESTAMPTZ
);
