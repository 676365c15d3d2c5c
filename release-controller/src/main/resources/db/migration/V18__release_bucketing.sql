-- Each release names the bucketing it was made with, and the snapshot filled from this table evaluates by it.
-- Every release before this column was made with the high-precision scheme, the only one there was.
ALTER TABLE feature_release ADD COLUMN bucketing TEXT NOT NULL
    DEFAULT 'murmur3-x86_32/featureKey+targetingKey/100000';
