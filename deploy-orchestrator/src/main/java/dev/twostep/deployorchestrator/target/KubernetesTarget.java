package dev.twostep.deployorchestrator.target;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.HttpURLConnection;

/**
 * Sets a Deployment's container image and reads how its rollout goes. The supervisor calls it while it
 * holds a deployment's claim, an open database transaction, so each call is one attempt of bounded length
 * ({@link KubernetesClientProducer}).
 */
@ApplicationScoped
public class KubernetesTarget {

    /** Where one application runs in a Kubernetes environment. */
    public record Workload(String namespace, String deploymentName, String container) {

        public static Workload of(String namespace, String deploymentNameTemplate, String container,
                                  String application) {
            return new Workload(namespace, deploymentNameTemplate.replace("{application}", application), container);
        }

        @Override
        public String toString() {
            return "Deployment " + namespace + "/" + deploymentName + " container " + container;
        }
    }

    /** The target cannot take this deployment, and retrying will not change that. */
    public static class Unusable extends RuntimeException {
        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * 409 Conflict: the Deployment changed between our read and our write (another writer, or a replica that
     * acted on the same deployment), so the write was refused. Reading it again and acting is worth a try.
     */
    public static class Changed extends RuntimeException {
        Changed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KubernetesClient client;

    KubernetesTarget(KubernetesClient client) {
        this.client = client;
    }

    /** @return the Deployment's generation after the change, which its controller must observe */
    public long setImage(Workload workload, String image) {
        try {
            Deployment changed = deployment(workload).edit(current -> {
                Container container = current.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> workload.container().equals(c.getName())).findFirst()
                        .orElseThrow(() -> new Unusable(workload + " does not exist", null));
                container.setImage(image);
                return current;
            });
            Long generation = changed.getMetadata().getGeneration();
            return generation == null ? 0 : generation;
        } catch (KubernetesClientException e) {
            throw classified(workload, e);
        }
    }

    public RolloutProgress progress(Workload workload, long generation) {
        try {
            Deployment current = deployment(workload).get();
            if (current == null) {
                return new RolloutProgress.Failed(workload + " no longer exists");
            }
            return RolloutProgress.of(current, generation);
        } catch (KubernetesClientException e) {
            throw classified(workload, e);
        }
    }

    private RollableScalableResource<Deployment> deployment(Workload workload) {
        return client.apps().deployments().inNamespace(workload.namespace()).withName(workload.deploymentName());
    }

    /** A 4xx other than a conflict answers the same next time; anything else (unreachable, 5xx) is worth a retry. */
    private static RuntimeException classified(Workload workload, KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            return new Changed(workload + " changed since it was read: " + e.getStatus().getMessage(), e);
        }
        if (e.getCode() >= 400 && e.getCode() < 500) {
            return new Unusable(workload + ": " + e.getStatus().getMessage(), e);
        }
        return e;
    }
}
