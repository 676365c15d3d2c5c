package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.events.Topics;
import dev.twostep.outbox.TopicCatchUp;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.FeatureReads;
import dev.twostep.releasecontroller.service.ReleaseService;
import dev.twostep.releasecontroller.view.FeatureView.RolloutView;
import dev.twostep.releasecontroller.view.FeatureView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;

/**
 * Releases of a feature in one environment: set its audience, roll it back, or start a rollout.
 * Each answers 404 for an unknown feature and 409 where its code does not run in the environment.
 */
@Path("/features/{key}/environments/{env}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RELEASE_MANAGER)
public class ReleaseResource {

    /** What tells this service that a feature exists and where its code runs. */
    private static final List<String> CODE_TOPICS = List.of(Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS);

    private final ReleaseService releases;
    private final FeatureReads features;
    private final Caller caller;
    private final TopicCatchUp catchUp;
    private final ObjectMapper json;
    private final AnalyzerPreflight preflight;

    ReleaseResource(ReleaseService releases, FeatureReads features, Caller caller, TopicCatchUp catchUp,
                    ObjectMapper json, AnalyzerPreflight preflight) {
        this.json = json;
        this.preflight = preflight;
        this.releases = releases;
        this.features = features;
        this.caller = caller;
        this.catchUp = catchUp;
    }

    @PUT
    @Path("/audience")
    public FeatureView setAudience(@PathParam("key") String key, @PathParam("env") String env,
                                   @NotNull(message = "an audience is required") @Valid AudienceRequest request) {
        String featureKey = Names.featureKey(key);
        String environment = Names.environment(env);
        catchUp.retryWhileBehind(() -> {
            releases.setAudience(featureKey, environment, request.toAudience(), request.reason(), caller.name());
            return featureKey;
        }, ReleaseResource::mayBeBehind, CODE_TOPICS);
        return feature(key);
    }

    /**
     * Sets the feature's flag in the environment in flagd's flag-definition format (the body is one flag:
     * {@code state, variants, defaultVariant, targeting, metadata}). 400 names the JSON Pointer and the rule;
     * 409 when it can serve a variant other than the default and no deployed artefact here contains the feature.
     */
    @PUT
    @Path("/definition")
    public FeatureView setDefinition(@PathParam("key") String key, @PathParam("env") String env,
                                     @QueryParam("reason") String reason, byte[] body) {
        String featureKey = Names.featureKey(key);
        String environment = Names.environment(env);
        JsonNode definition = Definitions.read(json, body);
        String why = reason == null || reason.isBlank() ? "definition set" : reason;
        catchUp.retryWhileBehind(() -> {
            releases.setDefinition(featureKey, environment, definition, why, caller.name());
            return featureKey;
        }, ReleaseResource::mayBeBehind, CODE_TOPICS);
        return feature(key);
    }

    @POST
    @Path("/rollback")
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.SRE})
    public FeatureView rollBack(@PathParam("key") String key, @PathParam("env") String env,
                                @NotNull(message = "a reason is required") @Valid ReasonRequest request) {
        releases.rollBack(Names.featureKey(key), Names.environment(env), request.reason(), caller.name());
        return feature(key);
    }

    /** Stops the active rollout and keeps the audience it reached; 409 when none is active. */
    @POST
    @Path("/rollouts/abort")
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.SRE})
    public FeatureView abortRollout(@PathParam("key") String key, @PathParam("env") String env,
                                    @NotNull(message = "a reason is required") @Valid ReasonRequest request) {
        releases.abortRollout(Names.featureKey(key), Names.environment(env), request.reason(), caller.name());
        return feature(key);
    }

    /** Takes the active rollout one step on, or completes it at its last step; 409 when none is active. */
    @POST
    @Path("/rollouts/promote")
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.SRE})
    public FeatureView promoteRollout(@PathParam("key") String key, @PathParam("env") String env,
                                      @NotNull(message = "a reason is required") @Valid ReasonRequest request) {
        releases.promoteRollout(Names.featureKey(key), Names.environment(env), request.reason(), caller.name());
        return feature(key);
    }

    /** The rollout as started, and what the analyzer's preflight warned of; {@code warnings} is absent when none. */
    public record StartedRolloutView(@JsonUnwrapped RolloutView rollout,
                                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {
    }

    /**
     * 201 with the rollout at its first step and the preflight's warnings; Location is the feature, which shows the
     * active rollout. A retry with the same {@code Idempotency-Key} answers 200 with the rollout it started.
     */
    @POST
    @Path("/rollouts")
    public Response startRollout(@PathParam("key") String key, @PathParam("env") String env,
                                 @HeaderParam("Idempotency-Key") String idempotencyKey,
                                 @NotNull(message = "a plan is required") @Valid RolloutRequest request) {
        String control = request.treatment() == null ? null
                : features.defaultVariantIn(Names.featureKey(key), Names.environment(env)).orElse(null);
        List<String> warnings = preflight.check(Names.featureKey(key), Names.environment(env), request.toPlan(),
                request.treatment(), control);
        ReleaseService.StartedRollout started = catchUp.retryWhileBehind(() -> releases.startRollout(
                Names.featureKey(key), Names.environment(env), request.toPlan(), request.treatment(),
                Names.idempotencyKey(idempotencyKey),
                caller.name()), ReleaseResource::mayBeBehind, CODE_TOPICS);
        RolloutView rollout = features.rollout(started.rolloutId())
                .orElseThrow(() -> ProblemException.notFound("no rollout " + started.rolloutId()));
        return (started.created() ? Response.created(UriBuilder.fromPath("/features/{key}").build(key))
                : Response.ok()).entity(new StartedRolloutView(rollout, warnings)).build();
    }

    /** An unknown feature, or its code not deployed, may only mean that the news has not been consumed yet. */
    private static boolean mayBeBehind(ProblemException refused) {
        return refused.status() == 404 || refused.status() == 409 && refused.getMessage() != null
                && refused.getMessage().startsWith("release needs deploy");
    }

    private FeatureView feature(String key) {
        return features.find(key).orElseThrow(() -> ProblemException.notFound("no feature " + key));
    }
}
