package dev.twostep.rolloutanalyzer.prometheus;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which Prometheus a guard asks, and with which token. A token goes only to the URL it is configured for: a
 * rollout may name its own URL, and sending a configured credential there would hand it to whoever wrote the plan.
 * A rollout may name only an allowed URL: the analyzer sends the queries from inside the network, so a plan that
 * could name any URL could make it call any address there.
 */
@ApplicationScoped
public class PrometheusEndpoints {

    public record Endpoint(URI url, Optional<String> token) {
    }

    static final String ALLOWED_URLS = "twostep.analyzer.prometheus.allowed-urls";

    private final PrometheusConfig config;
    /** The configured Prometheus servers and the allowed prefixes, lower case. */
    private final List<String> allowed = new ArrayList<>();

    PrometheusEndpoints(PrometheusConfig config) {
        this.config = config;
        config.url().ifPresent(url -> allowed.add(url.toString().toLowerCase(Locale.ROOT)));
        config.environments().values().forEach(own -> allowed.add(own.url().toString().toLowerCase(Locale.ROOT)));
        config.allowedUrls().orElse(List.of()).forEach(prefix -> allowed.add(prefix.trim().toLowerCase(Locale.ROOT)));
    }

    /** @return empty when neither the guard nor the configuration names a Prometheus for the environment */
    public Optional<Endpoint> of(String environment, String guardUrl) {
        Optional<Endpoint> configured = Optional.ofNullable(config.environments().get(environment))
                .map(own -> new Endpoint(own.url(), own.token()))
                .or(() -> config.url().map(url -> new Endpoint(url, config.token())));
        if (guardUrl == null) {
            return configured;
        }
        URI named = URI.create(guardUrl);
        return Optional.of(configured.filter(endpoint -> endpoint.url().equals(named))
                .orElse(new Endpoint(named, Optional.empty())));
    }

    /**
     * Why a plan may not name {@code guardUrl} as a guard's Prometheus, or empty when it may or names none: it must
     * be a plain http(s) URL (no user info, which could hide the host behind an allowed-looking prefix) that a
     * configured Prometheus or a prefix of {@value #ALLOWED_URLS} allows.
     */
    public Optional<String> refusal(String guardUrl) {
        if (guardUrl == null) {
            return Optional.empty();
        }
        URI named;
        try {
            named = new URI(guardUrl);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getMessage());
        }
        String scheme = named.getScheme() == null ? "" : named.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || named.getHost() == null
                || named.getRawUserInfo() != null || named.getRawQuery() != null || named.getRawFragment() != null) {
            return Optional.of("must be an http or https URL with a host and without user info, query or fragment");
        }
        String url = guardUrl.toLowerCase(Locale.ROOT);
        if (allowed.stream().anyMatch(prefix -> allows(prefix, url))) {
            return Optional.empty();
        }
        return Optional.of("is not an allowed Prometheus: a plan may name only a configured Prometheus "
                + "(twostep.analyzer.prometheus.url or .environments.\"<env>\".url) or a URL under a prefix of "
                + ALLOWED_URLS);
    }

    /** A prefix ends at a boundary: {@code http://prom} allows {@code http://prom/x}, not {@code http://prom.evil}. */
    static boolean allows(String prefix, String url) {
        if (prefix.isEmpty() || !url.startsWith(prefix)) {
            return false;
        }
        return url.length() == prefix.length() || prefix.endsWith("/") || prefix.endsWith(":")
                || url.charAt(prefix.length()) == '/';
    }
}
