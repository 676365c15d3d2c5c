package dev.twostep.rolloutanalyzer.prometheus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the Prometheus guards' queries go, and how often. */
@ConfigMapping(prefix = "twostep.analyzer.prometheus")
public interface PrometheusConfig {

    /** The Prometheus of every environment that names none of its own; absent: a guard must name its url. */
    Optional<URI> url();

    /** Bearer token for {@link #url()}; sent to that URL only, never to a URL a rollout names. */
    Optional<String> token();

    /** Per environment, by name: its own Prometheus and token. */
    Map<String, Endpoint> environments();

    interface Endpoint {

        /** This environment's Prometheus. */
        URI url();

        /** Bearer token for this environment's {@link #url()} only. */
        Optional<String> token();
    }

    /**
     * URL prefixes a plan may name as a guard's own Prometheus, besides the configured ones ({@link #url()} and every
     * environment's); absent: only those. A prefix allows a URL equal to it or going on after a {@code /}; one that
     * ends in {@code /} or {@code :} allows whatever follows ({@code http://127.0.0.1:} is any port of that host).
     */
    Optional<List<String>> allowedUrls();

    /** How often each Prometheus guard of each active rollout is read. */
    @WithDefault("10s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 10s")
    Duration pollEvery();

    /** After failures the next look waits pollEvery · 2^failures, up to this. */
    @WithDefault("2m")
    @DurationMin(millis = 1, message = "must be a positive duration such as 2m")
    Duration maxBackoff();

    /** Connect and answer timeout of one query. */
    @WithDefault("5s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 5s")
    Duration timeout();

    /** How often a replica claims the guards that are due and reads them: a duration, or {@code off}. */
    @WithDefault("1s")
    String claimEvery();

    /** How often the table of due guards is vacuumed: a duration, or {@code off}. */
    @WithDefault("1m")
    String vacuumEvery();
}
