package dev.twostep.k8s;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How many of everything each overlay runs, and how prod survives a drained node and grows under load. */
class ScalingTest {

    @Test
    void devRunsOneOfEverything() {
        Manifests dev = Manifests.of(Overlay.DEV);
        assertThat(ServiceModule.ALL).allSatisfy(service ->
                assertThat(dev.get("Deployment", service.name()).at("spec", "replicas").asInt()).isEqualTo(1));
        assertThat(dev.single("Cluster").at("spec", "instances").asInt()).isEqualTo(1);
        assertThat(dev.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(dev.ofKind("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void devAsksForLessThanProd() {
        Manifests dev = Manifests.of(Overlay.DEV);
        Manifests prod = Manifests.of(Overlay.PROD);
        assertThat(ServiceModule.ALL).allSatisfy(service -> {
            String devMemory = ServicePod.of(dev, service.name()).container().at("/resources/requests/memory").asText();
            String prodMemory = ServicePod.of(prod, service.name()).container().at("/resources/requests/memory").asText();
            assertThat(mebibytes(devMemory)).as("%s memory request", service.name()).isLessThan(mebibytes(prodMemory));
        });
    }

    @Test
    void prodRunsAtLeastTwoReplicasOfEveryServiceAndThreeDatabaseInstances() {
        Manifests prod = Manifests.of(Overlay.PROD);
        assertThat(ServiceModule.ALL).allSatisfy(service ->
                assertThat(prod.get("Deployment", service.name()).at("spec", "replicas").asInt())
                        .as("%s replicas", service.name()).isGreaterThanOrEqualTo(2));
        assertThat(prod.single("Cluster").at("spec", "instances").asInt()).isEqualTo(3);
    }

    @Test
    void aDrainNeverTakesTheLastReplicaOfAService() {
        Manifests prod = Manifests.of(Overlay.PROD);
        for (ServiceModule service : ServiceModule.ALL) {
            KubeObject deployment = prod.get("Deployment", service.name());
            List<KubeObject> budgets = prod.where(pdb -> pdb.kind().equals("PodDisruptionBudget")
                    && pdb.at("spec", "selector").equals(deployment.at("spec", "selector")));
            assertThat(budgets).as("PodDisruptionBudgets for %s", service.name()).singleElement().satisfies(pdb -> {
                assertThat(pdb.at("spec", "minAvailable").asInt()).isBetween(1,
                        deployment.at("spec", "replicas").asInt() - 1);
            });
        }
    }

    /**
     * Every service, the release-controller included: each of its replicas follows the release topic into its own
     * snapshot and reports ready only once caught up (deploy/k8s/README.md, "Scaling").
     */
    @Test
    void everyServiceScalesFromTwoReplicasWithinItsTopicsPartitions() {
        Manifests prod = Manifests.of(Overlay.PROD);
        Map<String, Integer> partitions = new HashMap<>();
        prod.ofKind("KafkaTopic").forEach(topic -> partitions.put(topic.name(), topic.at("spec", "partitions").asInt()));
        for (ServiceModule service : ServiceModule.ALL) {
            List<KubeObject> autoscalers = prod.where(hpa -> hpa.kind().equals("HorizontalPodAutoscaler")
                    && hpa.at("spec", "scaleTargetRef", "name").asText().equals(service.name()));
            assertThat(autoscalers).as("autoscalers of %s", service.name()).singleElement().satisfies(hpa -> {
                assertThat(hpa.at("spec", "scaleTargetRef", "kind").asText()).isEqualTo("Deployment");
                assertThat(hpa.at("spec", "scaleTargetRef", "apiVersion").asText()).isEqualTo("apps/v1");
                int min = hpa.at("spec", "minReplicas").asInt();
                int max = hpa.at("spec", "maxReplicas").asInt();
                assertThat(min).isGreaterThanOrEqualTo(2);
                assertThat(prod.get("Deployment", service.name()).at("spec", "replicas").asInt()).isBetween(min, max);
                for (ServiceModule.IncomingChannel channel : service.consumes()) {
                    assertThat(max).as("%s max replicas: a consumer beyond %s's partitions would idle",
                            service.name(), channel.topic()).isLessThanOrEqualTo(partitions.get(channel.topic()));
                }
            });
        }
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        throw new AssertionError("write memory as Mi or Gi, not " + quantity);
    }
}
