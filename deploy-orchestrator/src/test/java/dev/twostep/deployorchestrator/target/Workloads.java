package dev.twostep.deployorchestrator.target;

import dev.twostep.deployorchestrator.Api;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes Deployments in fabric8's mock API server, one per application. The mock runs no
 * controllers, so the tests play the Deployment controller's part with {@link #playControllerRolloutDone}.
 */
final class Workloads {

    static final String NAMESPACE = "shop";
    /** An environment's target: each application runs in the Deployment of its name, in container "app". */
    static final String TARGET = """
            {"kind":"kubernetes","namespace":"%s","deploymentNameTemplate":"{application}","container":"app"}"""
            .formatted(NAMESPACE);

    private final KubernetesClient kubernetes;

    Workloads(KubernetesClient kubernetes) {
        this.kubernetes = kubernetes;
    }

    /** Defines an environment of that target, without promotion rule or approval; returns its name. */
    static String defineEnvironment(boolean autoRollbackOnFailure) {
        String name = Api.unique("k8s");
        Api.defineEnvironment(name, null, false, autoRollbackOnFailure, TARGET);
        return name;
    }

    /** The artefact's uri: a tagged image, which the orchestrator pins by digest. */
    static String uri(String name, String version) {
        return "registry.example.com/shop/" + name + ":" + version;
    }

    static String pinned(String name, String digest) {
        return "registry.example.com/shop/" + name + "@" + digest;
    }

    void create(String name) {
        kubernetes.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(uri(name, "0.9"))
                .endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    Deployment get(String name) {
        return kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    String image(String name) {
        return get(name).getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    void awaitImage(String name, String image) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(image(name)).isEqualTo(image));
    }

    /** What the Deployment controller writes once every new pod is up and the old ones are gone. */
    void playControllerRolloutDone(String name) {
        Deployment current = get(name);
        long generation = current.getMetadata().getGeneration() == null ? 0 : current.getMetadata().getGeneration();
        current.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation)
                .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).build());
        kubernetes.apps().deployments().inNamespace(NAMESPACE).resource(current).updateStatus();
    }
}
