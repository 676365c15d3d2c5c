package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.access.Roles;
import dev.twostep.console.web.ServiceCalls.Service;
import dev.twostep.problems.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data of the environments, features, rollout and story pages: from the console's read model where it has it
 * (the timeline, decisions with their evidence, approvals, CI links), else from the services' APIs, read as the
 * signed-in person.
 */
@Path("/ui/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PagesResource {

    private final SecurityIdentity identity;
    private final CallerToken token;
    private final ServiceCalls services;
    private final Timeline timeline;
    private final FeatureCatalogue catalogue;

    PagesResource(SecurityIdentity identity, CallerToken token, ServiceCalls services, Timeline timeline,
                  FeatureCatalogue catalogue) {
        this.identity = identity;
        this.token = token;
        this.services = services;
        this.timeline = timeline;
        this.catalogue = catalogue;
    }

    /** Who is signed in, and which action buttons the pages show them. */
    public record Me(String name, Set<String> roles, Permissions may) {
    }

    @GET
    @Path("/me")
    @Operation(summary = "The signed-in person, their roles and the actions those allow")
    public Me me() {
        Set<String> roles = new TreeSet<>(identity.getRoles());
        return new Me(identity.getPrincipal().getName(), roles, Permissions.of(roles));
    }

    public record Running(String application, String version, String commit, String buildId, String runUrl,
                          Instant since, String deploymentId) {
    }

    /**
     * A version that runs where the environment promotes from and not here yet. It needs an approval, then a
     * deployment requested by someone other than its only approver: the deploy-orchestrator's four-eyes rule, which
     * decides when either is asked for.
     *
     * @param approvedBy who approved it, in time order; null before anyone did
     */
    public record Promotion(String application, String version, String from, String approvedBy) {
    }

    public record EnvironmentPage(String name, String promotesFrom, boolean requiresApproval, List<Running> running,
                                  List<Promotion> promotions, List<String> approvals) {
    }

    @GET
    @Path("/environments")
    @Operation(summary = "What runs where, from which commit and build (with the CI run), since when; the promotions"
            + " waiting to come where an approval is required, with who approved them")
    public List<EnvironmentPage> environments() {
        String caller = token.raw();
        JsonNode definitions = services.read(Service.DEPLOY_ORCHESTRATOR, "/environments", caller);
        Map<String, List<Running>> running = new LinkedHashMap<>();
        for (JsonNode definition : definitions) {
            String name = definition.path("name").asText();
            List<Running> applications = new ArrayList<>();
            for (JsonNode entry : services.read(Service.DEPLOY_ORCHESTRATOR,
                    "/environments/" + Segments.of(name) + "/inventory", caller).path("applications")) {
                String buildId = entry.path("buildId").asText(null);
                applications.add(new Running(entry.path("application").asText(), entry.path("version").asText(),
                        entry.path("commit").asText(null), buildId, runUrl(buildId),
                        entry.hasNonNull("since") ? Instant.parse(entry.path("since").asText()) : null,
                        entry.path("deploymentId").asText(null)));
            }
            running.put(name, applications);
        }
        List<EnvironmentPage> pages = new ArrayList<>();
        for (JsonNode definition : definitions) {
            String name = definition.path("name").asText();
            String from = definition.path("promotesFrom").asText(null);
            boolean requiresApproval = definition.path("requiresApproval").asBoolean();
            Map<String, String> approved = timeline.approvals(name);
            List<Promotion> promotions = new ArrayList<>();
            if (requiresApproval && from != null) {
                for (Running candidate : running.getOrDefault(from, List.of())) {
                    boolean runsHere = running.get(name).stream().anyMatch(here -> here.application()
                            .equals(candidate.application()) && here.version().equals(candidate.version()));
                    if (!runsHere) {
                        promotions.add(new Promotion(candidate.application(), candidate.version(), from,
                                approved.get(candidate.application() + " " + candidate.version())));
                    }
                }
            }
            List<String> approvals = approved.entrySet().stream()
                    .map(entry -> entry.getKey() + " approved by " + entry.getValue()).toList();
            pages.add(new EnvironmentPage(name, from, requiresApproval, running.get(name), promotions, approvals));
        }
        return pages;
    }

    public record FeatureInEnvironment(String environment, boolean codeRuns, String audience, JsonNode rollout) {
    }

    public record FeaturePage(String featureKey, String application, List<FeatureInEnvironment> environments) {
    }

    @GET
    @Path("/features")
    @Operation(summary = "Each feature's audience per environment, its active rollout and step, and whether its code"
            + " runs there")
    public List<FeaturePage> features() {
        String caller = token.raw();
        Map<String, Map<String, JsonNode>> live = new LinkedHashMap<>();
        for (JsonNode definition : services.read(Service.DEPLOY_ORCHESTRATOR, "/environments", caller)) {
            String environment = definition.path("name").asText();
            Map<String, JsonNode> features = new LinkedHashMap<>();
            services.readIfThere(Service.RELEASE_CONTROLLER, "/environments/" + Segments.of(environment) + "/live",
                    caller).ifPresent(page -> page.path("features")
                    .forEach(feature -> features.put(feature.path("featureKey").asText(), feature)));
            live.put(environment, features);
        }
        Map<String, String> known = catalogue.features();
        live.values().forEach(features -> features.values().forEach(feature ->
                known.putIfAbsent(feature.path("featureKey").asText(), feature.path("application").asText(null))));
        List<FeaturePage> pages = new ArrayList<>();
        known.forEach((featureKey, application) -> {
            List<FeatureInEnvironment> environments = new ArrayList<>();
            live.forEach((environment, features) -> {
                JsonNode feature = features.get(featureKey);
                environments.add(feature == null ? new FeatureInEnvironment(environment, false, "nobody", null)
                        : new FeatureInEnvironment(environment, true, feature.path("audienceText").asText("nobody"),
                        feature.hasNonNull("rollout") ? feature.get("rollout") : null));
            });
            pages.add(new FeaturePage(featureKey, application, environments));
        });
        return pages;
    }

    /**
     * A rollout as recorded: its start (plan and guard), each decision with its evidence and summary, its end; and,
     * where the rollout-analyzer answers, its current status, what it would say about the waiting step now, and the
     * metric samples each step counted ({@code GET /rollouts/{id}/samples}: the samples reach the analyzer over HTTP
     * as well as on {@code twostep.metrics}, so only the analyzer has them all).
     */
    public record RolloutPage(String rolloutId, String featureKey, String environment, String status,
                              List<Timeline.Entry> events, JsonNode analyzer, JsonNode samples) {
    }

    @GET
    @Path("/rollouts")
    @Operation(summary = "Every rollout the console has seen, newest first")
    public List<Timeline.Entry> rollouts() {
        return timeline.rolloutsStarted().stream().map(Timeline.Entry::listed).toList();
    }

    @GET
    @Path("/rollouts/{rolloutId}")
    @Operation(summary = "A rollout's start, decisions (with evidence) and end, for its chart")
    public RolloutPage rollout(@PathParam("rolloutId") String rolloutId) {
        List<Timeline.Entry> events = timeline.ofRollout(rolloutId);
        Timeline.Entry started = events.stream().filter(e -> e.type().startsWith("dev.twostep.rollout.started."))
                .findFirst().orElseThrow(() -> ProblemException.notFound("no rollout " + rolloutId));
        String status = events.stream().map(Timeline.Entry::type)
                .filter(type -> type.startsWith("dev.twostep.rollout.completed.")
                        || type.startsWith("dev.twostep.rollout.aborted."))
                .map(type -> type.contains("completed") ? "completed" : "aborted")
                .findFirst().orElse("running");
        String analyzed = "/rollouts/" + Segments.of(rolloutId);
        Optional<JsonNode> analyzer = services.readIfThere(Service.ROLLOUT_ANALYZER, analyzed, token.raw());
        Optional<JsonNode> samples = services.readIfThere(Service.ROLLOUT_ANALYZER, analyzed + "/samples",
                token.raw());
        return new RolloutPage(rolloutId, started.featureKey(), started.environment(), status, events,
                analyzer.orElse(null), samples.orElse(null));
    }

    @GET
    @Path("/stories/{correlationId}")
    @Operation(summary = "A story: every event of one correlation id (build, artefact, deployment, release, decisions)")
    public List<Timeline.Entry> story(@PathParam("correlationId") String correlationId) {
        return timeline.ofStory(correlationId).stream().map(Timeline.Entry::listed).toList();
    }

    private String runUrl(String buildId) {
        return buildId == null ? null : timeline.build(buildId).stream()
                .map(build -> build.data().path("runUrl").asText(null)).findFirst().orElse(null);
    }
}
