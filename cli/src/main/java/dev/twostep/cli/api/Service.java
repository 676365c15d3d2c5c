package dev.twostep.cli.api;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/** The five services and where they listen: the local defaults, or {@code TWOSTEP_<SERVICE>_URL}. */
public enum Service {
    BUILD("build-service", 8081),
    REGISTRY("artifact-registry", 8082),
    DEPLOY("deploy-orchestrator", 8083),
    RELEASE("release-controller", 8084),
    ROLLOUT("rollout-analyzer", 8085);

    private final String serviceName;
    private final int defaultPort;

    Service(String serviceName, int defaultPort) {
        this.serviceName = serviceName;
        this.defaultPort = defaultPort;
    }

    public String serviceName() {
        return serviceName;
    }

    /** For example {@code TWOSTEP_RELEASE_CONTROLLER_URL}. */
    public String variable() {
        return "TWOSTEP_" + serviceName.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
    }

    public URI baseUri(Map<String, String> environment) {
        String configured = environment.get(variable());
        return URI.create(configured != null && !configured.isBlank() ? configured : "http://127.0.0.1:" + defaultPort);
    }
}
