package dev.twostep.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformClient.Reply;
import dev.twostep.cli.api.PlatformError;
import dev.twostep.cli.api.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static dev.twostep.cli.demo.Story.APPLICATION;

/**
 * The deploy half of the {@link Story}: environments, builds and their artefacts, deployments carried out by an
 * external deploy tool, approvals and a rollback, each through the public APIs and said on the timeline.
 */
final class DeployActs {

    private final PlatformClient api;
    private final Timeline timeline;
    private final Duration patience;
    private final Clock clock;
    private final String run;
    private final Set<String> deploymentIds = new HashSet<>();
    private final Random random = new Random();

    DeployActs(PlatformClient api, Timeline timeline, Duration patience, Clock clock, String run) {
        this.api = api;
        this.timeline = timeline;
        this.patience = patience;
        this.clock = clock;
        this.run = run;
    }

    /** Every deployment requested so far, rollbacks included. */
    Set<String> deploymentIds() {
        return Set.copyOf(deploymentIds);
    }

    void defineEnvironments() {
        String promotesFrom = null;
        for (String environment : Story.ENVIRONMENTS) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("promotesFrom", promotesFrom);
            definition.put("requiresApproval", environment.equals("prod"));
            definition.put("autoRollbackOnFailure", environment.equals("prod"));
            definition.put("target", Map.of("kind", "external"));
            api.require(api.put(Service.DEPLOY, "/environments/" + environment, definition, Story.SRE),
                    "defining " + environment);
            timeline.say("env", environment + (promotesFrom == null ? "" : " (promotes from " + promotesFrom + ")")
                    + (environment.equals("prod") ? ", approval required, rolls back by itself on failure" : ""));
            promotesFrom = environment;
        }
    }

    /** A CI reports a finished build of one artefact of {@code version}, which contains {@code features}. */
    String postBuild(String version, List<String> features) {
        String buildId = "gha-" + run + "-" + version;
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("buildId", buildId);
        build.put("ciSystem", "github-actions");
        build.put("runUrl", "https://github.com/acme/checkout/actions/runs/" + run + version.hashCode());
        build.put("repository", "https://github.com/acme/checkout");
        build.put("commit", hex(20));
        build.put("branch", "main");
        build.put("outcome", "SUCCEEDED");
        build.put("startedAt", clock.instant().minusSeconds(300).toString());
        build.put("finishedAt", clock.instant().toString());
        build.put("artefacts", List.of(Map.of("name", APPLICATION, "version", version, "digest", "sha256:" + hex(32),
                "uri", "oci://registry.example.com/acme/checkout:" + version, "features", features)));
        Reply reply = api.post(Service.BUILD, "/builds", build, Story.CI);
        api.require(reply, "posting build " + buildId);
        timeline.say("build", "CI posted " + buildId + ": " + APPLICATION + " " + version
                + (features.isEmpty() ? "" : " with features " + String.join(", ", features)) + " -> " + reply.status());
        return buildId;
    }

    void awaitPublished(String version) {
        JsonNode artefact = Waiting.until(APPLICATION + " " + version + " to be published", patience, () -> {
            Reply reply = api.get(Service.REGISTRY, "/artefacts/" + APPLICATION + "/versions/" + version);
            return reply.isSuccess() ? Optional.of(reply.body()) : Optional.empty();
        });
        timeline.say("artefact", APPLICATION + " " + version + " published: " + shortDigest(artefact.path("digest").asText())
                + ", commit " + artefact.path("provenance").path("commit").asText().substring(0, 7));
    }

    /** dev, staging, then prod with an approval. */
    void promote(String version) {
        deploy(version, "dev");
        deploy(version, "staging");
        approve(version, "prod");
        deploy(version, "prod");
    }

    /** Requests a deployment, plays the external deploy tool that carries it out, and waits for the outcome. */
    void deploy(String version, String environment) {
        // The orchestrator learns of a new artefact from the registry's events a moment after it is published.
        Reply requested = Waiting.until("the deploy-orchestrator to know " + APPLICATION + " " + version, patience,
                () -> {
                    Reply reply = api.post(Service.DEPLOY, "/deployments", Map.of("application", APPLICATION,
                            "version", version, "environment", environment), Story.DEPLOYER);
                    return reply.status() == 422 ? Optional.empty() : Optional.of(reply);
                });
        String id = api.require(requested, "deploying " + version + " to " + environment).path("id").asText();
        deploymentIds.add(id);
        reportSuccess(id);
        JsonNode done = awaitDeployment(id);
        String replaced = done.path("replacedVersion").asText("");
        timeline.say("deploy", APPLICATION + " " + version + " -> " + environment + ": "
                + done.path("status").asText() + (replaced.isEmpty() ? "" : " (replaced " + replaced + ")"));
    }

    void approve(String version, String environment) {
        api.require(api.post(Service.DEPLOY, "/environments/" + environment + "/approvals",
                Map.of("application", APPLICATION, "version", version), Story.APPROVER),
                "approving " + version);
        timeline.say("approval", Story.APPROVER + " approved " + APPLICATION + " " + version + " for " + environment);
    }

    /** Four eyes: the deployer's approval of his own deployment lets no deployment through. */
    void refuseSelfApproval(String version) {
        Reply reply = api.post(Service.DEPLOY, "/environments/prod/approvals",
                Map.of("application", APPLICATION, "version", version), Story.DEPLOYER);
        Reply deploy = api.post(Service.DEPLOY, "/deployments",
                Map.of("application", APPLICATION, "version", version, "environment", "prod"), Story.DEPLOYER);
        if (deploy.isSuccess()) {
            throw new PlatformError("a deployment approved only by its own requester was accepted");
        }
        timeline.say("refused", Story.DEPLOYER + " approving his own deployment to prod: " + reply.status()
                + ", deploying: " + deploy.status() + " " + deploy.explanation());
    }

    void rollBack(String toVersion) {
        JsonNode rollback = api.require(api.post(Service.DEPLOY, "/environments/prod/applications/" + APPLICATION
                + "/rollback", Map.of("reason", "checkout latency regression"), Story.SRE), "rolling prod back");
        String id = rollback.path("id").asText();
        deploymentIds.add(id);
        reportSuccess(id);
        awaitDeployment(id);
        timeline.say("rollback", "prod runs " + APPLICATION + " " + toVersion + " again");
    }

    private void reportSuccess(String deploymentId) {
        api.require(api.post(Service.DEPLOY, "/deployments/" + deploymentId + "/status",
                Map.of("status", "SUCCEEDED", "reason", "synced by " + Story.EXTERNAL_TOOL), Story.EXTERNAL_TOOL),
                "reporting deployment " + deploymentId);
    }

    private JsonNode awaitDeployment(String id) {
        return Waiting.until("deployment " + id + " to finish", patience, () -> {
            JsonNode deployment = api.get(Service.DEPLOY, "/deployments/" + id).body();
            String status = deployment.path("status").asText();
            if (status.equals("FAILED")) {
                throw new PlatformError("deployment " + id + " failed: " + deployment.path("reason").asText());
            }
            return status.equals("SUCCEEDED") ? Optional.of(deployment) : Optional.empty();
        });
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
    }

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
