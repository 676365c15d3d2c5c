package dev.twostep.rolloutanalyzer.prometheus;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Optional;

/**
 * Which Prometheus a guard asks, and with which token. A token goes only to the URL it is configured for: a
 * rollout may name its own URL, and sending a configured credential there would hand it to whoever wrote the plan.
 */
@ApplicationScoped
public class PrometheusEndpoints {

    public record Endpoint(URI url, Optional<String> token) {
    }

    private final PrometheusConfig config;

    PrometheusEndpoints(PrometheusConfig config) {
        this.config = config;
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
}
