package dev.twostep.k8s;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks core Kubernetes objects against the Kubernetes 1.33 OpenAPI schema, as generated into the
 * models of io.kubernetes:client-java-api 25 (the client generation for Kubernetes 1.33). Each model's
 * {@code validateJsonElement} rejects a field the API does not define and a missing required field,
 * at every depth; reading the object into the model then rejects a value of the wrong type.
 */
final class KubernetesApiSchema {

    /** The version the manifests are written for (deploy/k8s/README.md). */
    static final String KUBERNETES_VERSION = "1.33";

    private interface Validator {
        void validate(JsonElement json) throws IOException;
    }

    private record Model(Validator validator, Class<?> type) {
    }

    private static final Map<String, Model> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", new Model(V1ConfigMap::validateJsonElement, V1ConfigMap.class)),
            Map.entry("v1/Secret", new Model(V1Secret::validateJsonElement, V1Secret.class)),
            Map.entry("v1/Service", new Model(V1Service::validateJsonElement, V1Service.class)),
            Map.entry("v1/ServiceAccount", new Model(V1ServiceAccount::validateJsonElement, V1ServiceAccount.class)),
            Map.entry("v1/Namespace", new Model(V1Namespace::validateJsonElement, V1Namespace.class)),
            Map.entry("apps/v1/Deployment", new Model(V1Deployment::validateJsonElement, V1Deployment.class)),
            Map.entry("rbac.authorization.k8s.io/v1/Role", new Model(V1Role::validateJsonElement, V1Role.class)),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding",
                    new Model(V1RoleBinding::validateJsonElement, V1RoleBinding.class)),
            Map.entry("policy/v1/PodDisruptionBudget",
                    new Model(V1PodDisruptionBudget::validateJsonElement, V1PodDisruptionBudget.class)),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    new Model(V2HorizontalPodAutoscaler::validateJsonElement, V2HorizontalPodAutoscaler.class)));

    private KubernetesApiSchema() {
    }

    static boolean covers(KubeObject object) {
        return MODELS.containsKey(object.apiVersion() + "/" + object.kind());
    }

    /** @return the problems found, empty when the object is valid */
    static List<String> problems(KubeObject object) {
        Model model = MODELS.get(object.apiVersion() + "/" + object.kind());
        if (model == null) {
            return List.of("no Kubernetes " + KUBERNETES_VERSION + " schema for " + object.apiVersion() + " "
                    + object.kind());
        }
        JsonElement json = JsonParser.parseString(object.json().toString());
        return check(() -> {
            model.validator().validate(json);
            JSON.getGson().fromJson(json, model.type());
        });
    }

    /** Custom resources carry standard object metadata, which their CRD schema leaves open. */
    static List<String> metadataProblems(KubeObject object) {
        JsonElement metadata = JsonParser.parseString(object.json().path("metadata").toString());
        return check(() -> {
            V1ObjectMeta.validateJsonElement(metadata);
            JSON.getGson().fromJson(metadata, V1ObjectMeta.class);
        });
    }

    private interface Check {
        void run() throws IOException;
    }

    private static List<String> check(Check check) {
        try {
            check.run();
            return List.of();
        } catch (IOException | RuntimeException e) {
            return List.of(Optional.ofNullable(e.getMessage()).orElse(e.toString()));
        }
    }
}
