-- The guard a sample counts for, by its name in the plan; NULL for the plan's first guard (every sample from
-- before guards had names). Sums filter on it, so it joins the index they use.
ALTER TABLE metric_sample ADD COLUMN metric TEXT;
DROP INDEX metric_sample_by_feature;
CREATE INDEX metric_sample_by_feature ON metric_sample (feature_key, environment, metric, window_end);
