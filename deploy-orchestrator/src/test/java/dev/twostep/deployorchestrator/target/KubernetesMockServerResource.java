package dev.twostep.deployorchestrator.target;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's Kubernetes mock API server in CRUD mode: it stores and serves objects like an API
 * server, but runs no controllers, so a test plays the Deployment controller itself.
 */
public class KubernetesMockServerResource implements QuarkusTestResourceLifecycleManager {

    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        return Map.of("twostep.deploy.kubernetes.master-url", server.url("/"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
