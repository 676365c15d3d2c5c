package dev.twostep.deployorchestrator.target;

import dev.twostep.deployorchestrator.config.DeployConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The plain fabric8 client (the Quarkus extension is not on our Maven mirror). It talks to the API
 * server the usual way (in-cluster service account or kubeconfig) unless a master URL is configured.
 */
class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient kubernetesClient(DeployConfig config) {
        return builder(config).build();
    }

    static KubernetesClientBuilder builder(DeployConfig config) {
        Config kubernetes = config.kubernetes().masterUrl()
                .map(url -> new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true).build())
                .orElseGet(() -> Config.autoConfigure(null));
        // One attempt per call, bounded by the connection and request timeouts (10 s each by default): the
        // supervisor calls while it holds a claim in an open transaction, and its next pass is the retry.
        kubernetes.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(kubernetes);
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
