-- The timeline's filters (feature, environment, application, as ./twostep log has them), each newest first by time.
CREATE INDEX event_log_feature ON event_log (feature_key, at) WHERE feature_key IS NOT NULL;
CREATE INDEX event_log_environment ON event_log (environment, at) WHERE environment IS NOT NULL;
CREATE INDEX event_log_application ON event_log (application, at) WHERE application IS NOT NULL;
