package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A service's Deployment with its one container, and the environment that container starts with, resolved
 * through its ConfigMaps: what Quarkus will read.
 */
record ServicePod(KubeObject deployment, JsonNode container, Map<String, EnvValue> environment) {

    /** A variable's source: a literal (possibly from a ConfigMap) or a key of a Secret. */
    sealed interface EnvValue {
    }

    record Literal(String value) implements EnvValue {
    }

    record SecretKey(String secret, String key) implements EnvValue {
    }

    static ServicePod of(Manifests manifests, String service) {
        KubeObject deployment = manifests.get("Deployment", service);
        JsonNode containers = deployment.at("spec", "template", "spec", "containers");
        if (containers.size() != 1) {
            throw new AssertionError(deployment + " has " + containers.size() + " containers, not 1");
        }
        JsonNode container = containers.get(0);
        Map<String, EnvValue> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMap = source.path("configMapRef").path("name").asText(null);
            if (configMap == null) {
                throw new AssertionError(deployment + ": only ConfigMaps are expected in envFrom, not " + source);
            }
            ConfigMaps.data(manifests.get("ConfigMap", configMap)).forEach((k, v) -> environment.put(k, new Literal(v)));
        }
        for (JsonNode variable : container.path("env")) {
            JsonNode secretKey = variable.path("valueFrom").path("secretKeyRef");
            environment.put(variable.path("name").asText(), secretKey.isMissingNode()
                    ? new Literal(variable.path("value").asText())
                    : new SecretKey(secretKey.path("name").asText(), secretKey.path("key").asText()));
        }
        return new ServicePod(deployment, container, environment);
    }

    String literal(String variable) {
        if (environment.get(variable) instanceof Literal literal) {
            return literal.value();
        }
        throw new AssertionError(deployment + " sets no literal " + variable + " (it has " + environment.get(variable) + ")");
    }

    SecretKey secretKey(String variable) {
        if (environment.get(variable) instanceof SecretKey secretKey) {
            return secretKey;
        }
        throw new AssertionError(deployment + " reads " + variable + " from no Secret (it has " + environment.get(variable) + ")");
    }

    JsonNode podSpec() {
        return deployment.at("spec", "template", "spec");
    }

    /** The pod's volume mounted at a path, if any. */
    Optional<JsonNode> volumeAt(String mountPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(mountPath)) {
                for (JsonNode volume : podSpec().path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        return Optional.of(volume);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
