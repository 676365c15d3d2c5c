-- Issue 22: a flag definition set by hand that can serve a variant other than its default is a release fact,
-- kind 'release.definition' (percentage 100 when no context gets the default, else null). Each feature's first
-- exposure and first 100 % are now found among audiences and such definitions alike.
DROP INDEX delivery_fact_exposure;
CREATE INDEX delivery_fact_exposure ON delivery_fact (environment, feature_key, at)
    WHERE (kind = 'release.audience' AND (percentage > 0 OR users > 0)) OR kind = 'release.definition';
DROP INDEX delivery_fact_everyone;
CREATE INDEX delivery_fact_everyone ON delivery_fact (environment, feature_key, at)
    WHERE kind IN ('release.audience', 'release.definition') AND percentage >= 100;

