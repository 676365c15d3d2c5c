-- When a rollout completed or was aborted, from the event that ended it. Its feature's metric samples in its
-- environment are kept a retention period past this moment, so that rejudge can replay them (SampleRetention).
ALTER TABLE rollout ADD COLUMN ended_at TIMESTAMPTZ;
-- Rollouts that ended before the end was recorded: their retention period starts now, so nothing they need goes early.
UPDATE rollout SET ended_at = now() WHERE status <> 'ACTIVE';
-- An ended rollout without an end would let the retention delete the samples that its rejudge still needs.
ALTER TABLE rollout ADD CONSTRAINT rollout_ended_at_iff_ended CHECK ((status = 'ACTIVE') = (ended_at IS NULL));

-- The retention delete finds old samples by arrival, and for each one's feature the rollouts that may still need it.
CREATE INDEX metric_sample_by_received ON metric_sample (received_at);
CREATE INDEX rollout_by_feature ON rollout (feature_key, environment);
