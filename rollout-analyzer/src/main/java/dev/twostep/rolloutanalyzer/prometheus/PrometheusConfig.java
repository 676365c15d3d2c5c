package dev.twostep.rolloutanalyzer.prometheus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
        URI url();

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
    Duration pollEvery();

    /** After failures the next look waits pollEvery · 2^failures, up to this. */
    @WithDefault("2m")
    Duration maxBackoff();

    /** Connect and answer timeout of one query. */
    @WithDefault("5s")
    Duration timeout();
}
