-- The features of each artefact version, one row each, so that "does this feature's code run here?" is a few index
-- probes instead of reading every running version and its contents (which grew with every application deployed).
CREATE TABLE artefact_feature (
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    feature_key TEXT NOT NULL,
    PRIMARY KEY (name, version, feature_key)
);
CREATE INDEX artefact_feature_feature ON artefact_feature (feature_key);
INSERT INTO artefact_feature (name, version, feature_key)
SELECT DISTINCT name, version, feature FROM artefact_contents, jsonb_array_elements_text(features::jsonb) AS feature;

-- Which switched-on features a deployment of an application may have taken away.
CREATE INDEX feature_application ON feature (application);

-- Which environments run a version (an artefact that arrives after its deployment).
CREATE INDEX running_version_application_version ON running_version (application, version);
