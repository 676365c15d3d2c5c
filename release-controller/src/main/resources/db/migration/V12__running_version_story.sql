-- The story (correlation) of the deployment that made a version run, so that a release of the code it
-- brought continues that story: build -> artefact -> deploy -> release -> decisions.
ALTER TABLE running_version ADD COLUMN correlation_id TEXT;
ALTER TABLE running_version ADD COLUMN event_id TEXT;
