package dev.twostep.e2e;

import dev.twostep.cli.api.Service;

import java.util.List;
import java.util.Set;

/**
 * Every HTTP write endpoint of the platform, with the roles that may call it: the list that the access-control test
 * walks. The hostile-input campaign finds its endpoints in the services' OpenAPI documents instead, and checks that
 * they declare each JSON endpoint listed here. {@code takesJson} is false for the endpoints whose body is not a JSON
 * document of ours (CloudEvents, or no body at all).
 */
record WriteEndpoint(Service service, String method, String path, Set<String> roles, boolean takesJson) {

    static final List<WriteEndpoint> ALL = List.of(
            new WriteEndpoint(Service.BUILD, "POST", "/builds", Set.of("ci"), true),
            new WriteEndpoint(Service.BUILD, "POST", "/cdevents", Set.of("ci"), false),
            new WriteEndpoint(Service.REGISTRY, "POST", "/artefacts", Set.of("publisher"), true),
            new WriteEndpoint(Service.REGISTRY, "POST", "/artefacts/hostile/versions/1.0.0/revoke", Set.of("publisher"),
                    true),
            new WriteEndpoint(Service.DEPLOY, "PUT", "/environments/hostile", Set.of("sre"), true),
            new WriteEndpoint(Service.DEPLOY, "POST", "/environments/hostile/approvals", Set.of("approver"), true),
            new WriteEndpoint(Service.DEPLOY, "POST", "/environments/hostile/applications/hostile/rollback",
                    Set.of("sre", "deployer"), true),
            new WriteEndpoint(Service.DEPLOY, "POST", "/deployments", Set.of("deployer"), true),
            new WriteEndpoint(Service.DEPLOY, "POST", "/deployments/hostile/status", Set.of("deployer"), true),
            new WriteEndpoint(Service.RELEASE, "PUT", "/features/hostile", Set.of("release-manager"), true),
            new WriteEndpoint(Service.RELEASE, "PUT", "/features/hostile/environments/prod/audience",
                    Set.of("release-manager"), true),
            new WriteEndpoint(Service.RELEASE, "POST", "/features/hostile/environments/prod/rollback",
                    Set.of("release-manager", "sre"), true),
            new WriteEndpoint(Service.RELEASE, "POST", "/features/hostile/environments/prod/rollouts",
                    Set.of("release-manager"), true),
            new WriteEndpoint(Service.RELEASE, "POST", "/features/hostile/environments/prod/rollouts/abort",
                    Set.of("release-manager", "sre"), true),
            new WriteEndpoint(Service.RELEASE, "POST", "/features/hostile/environments/prod/rollouts/promote",
                    Set.of("release-manager", "sre"), true),
            new WriteEndpoint(Service.RELEASE, "POST", "/api-keys", Set.of("release-manager"), true),
            new WriteEndpoint(Service.RELEASE, "DELETE", "/api-keys/hostile", Set.of("release-manager", "sre"), false),
            new WriteEndpoint(Service.REGISTRY, "POST", "/admin/read-model/rebuild", Set.of("sre"), false),
            new WriteEndpoint(Service.RELEASE, "POST", "/admin/read-model/rebuild", Set.of("sre"), false),
            new WriteEndpoint(Service.ROLLOUT, "POST", "/metrics", Set.of("telemetry"), true),
            new WriteEndpoint(Service.ROLLOUT, "POST", "/rollouts/hostile/rejudge", Set.of("viewer"), true));

    @Override
    public String toString() {
        return method + " " + service.serviceName() + path;
    }
}
