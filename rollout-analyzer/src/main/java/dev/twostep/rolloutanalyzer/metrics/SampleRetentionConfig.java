package dev.twostep.rolloutanalyzer.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** How long metric samples stay for rejudge, and how often the old ones go ({@link SampleRetention}). */
@ConfigMapping(prefix = "twostep.analyzer.samples")
public interface SampleRetentionConfig {

    /**
     * How long samples are kept after the last rollout of their feature in their environment ended, so that rejudge
     * can replay them; zero would take every rejudge away at once, a negative period fresh samples.
     */
    @WithDefault("P30D")
    @DurationMin(nanos = 1, message = "must be a positive duration such as P30D")
    Duration retention();

    /** How often old samples and Prometheus looks are deleted: a duration such as {@code 1h}, or {@code off}. */
    @WithDefault("1h")
    String retentionEvery();
}
