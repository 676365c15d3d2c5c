-- What the live view says about each running version: where it came from.
ALTER TABLE artefact_contents ADD COLUMN digest TEXT;
ALTER TABLE artefact_contents ADD COLUMN commit_sha TEXT;
ALTER TABLE artefact_contents ADD COLUMN build_id TEXT;
ALTER TABLE artefact_contents ADD COLUMN run_url TEXT;
