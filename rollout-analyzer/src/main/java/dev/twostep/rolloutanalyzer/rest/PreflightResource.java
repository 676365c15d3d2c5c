package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.access.Roles;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.rolloutanalyzer.prometheus.VariantLabels;
import dev.twostep.rolloutanalyzer.service.RolloutPreflight;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /rollouts/preflight}: a plan checked against its guards' data before the rollout starts. 200 with the
 * expected duration of each step and warnings; 400 problem+json naming the guard's field when Prometheus refuses a
 * query or a query names no series, or when the guard names a Prometheus URL that is not allowed. Writes nothing.
 */
@Path("/rollouts/preflight")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PreflightResource {

    private final RolloutPreflight preflight;

    PreflightResource(RolloutPreflight preflight) {
        this.preflight = preflight;
    }

    /**
     * {@code treatment} and {@code control}: the arms' values of the {@code variant} label, for a rollout of a flag
     * definition's named variant (the variant and the definition's default variant); {@code on} and {@code off} when
     * absent.
     */
    public record PreflightRequest(@NotBlank String featureKey, @NotBlank String environment, @NotNull Plan plan,
                                   @Size(max = 128) String treatment, @Size(max = 128) String control) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RolloutPreflight.Answer check(@NotNull(message = "a plan is required") @Valid PreflightRequest request) {
        return preflight.check(request.featureKey(), request.environment(), request.plan(), new VariantLabels(
                orElse(request.treatment(), VariantLabels.AUDIENCE.treatment()),
                orElse(request.control(), VariantLabels.AUDIENCE.control())));
    }

    private static String orElse(String label, String absent) {
        return label == null || label.isBlank() ? absent : label;
    }
}
