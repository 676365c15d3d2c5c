-- Optimistic lock on a deployment's row: each write must name the version it read (DeploymentEntity.rowVersion),
-- so a replica that acts on an outdated row is refused instead of undoing what another one recorded.
ALTER TABLE deployment ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0;
