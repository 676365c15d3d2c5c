package dev.twostep.console.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twostep.access.Roles;
import dev.twostep.console.web.ServiceCalls.Service;
import dev.twostep.events.EventJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The pages' actions. Each is the service's own endpoint called with the signed-in person's token, and its answer
 * (a 403 problem for a role the person lacks, the service's own refusals) is the answer: the console decides nothing.
 * Any signed-in person may ask, as anyone may call the service; the pages show a button only to the roles that may.
 * Bodies are JSON only, which a page of another site cannot send without the browser asking first (and the session
 * cookie is SameSite=Strict besides).
 */
@Path("/ui/api/actions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ActionsResource {

    private final CallerToken token;
    private final ServiceCalls services;

    ActionsResource(CallerToken token, ServiceCalls services) {
        this.token = token;
        this.services = services;
    }

    /** A version of an application to approve for, or deploy into, an environment. */
    public record Promotion(@NotBlank @Size(max = 253) String environment,
                            @NotBlank @Size(max = 253) String application,
                            @NotBlank @Size(max = 128) String version) {
    }

    public record RolloutChange(@NotBlank @Size(max = 253) String featureKey,
                                @NotBlank @Size(max = 253) String environment,
                                @NotNull @Pattern(regexp = "promote|abort|rollback",
                                        message = "must be promote, abort or rollback") String action,
                                @NotBlank @Size(max = 2000) String reason) {
    }

    public record ApplicationRollback(@NotBlank @Size(max = 253) String environment,
                                      @NotBlank @Size(max = 253) String application,
                                      @NotBlank @Size(max = 2000) String reason) {
    }

    @POST
    @Path("/approve")
    @Operation(summary = "Approve a promotion, as the signed-in person (deploy-orchestrator, role approver)")
    public Response approve(@NotNull(message = "an approval is required") @Valid Promotion approval) {
        ObjectNode body = EventJson.mapper().createObjectNode()
                .put("application", approval.application()).put("version", approval.version());
        return services.post(Service.DEPLOY_ORCHESTRATOR,
                "/environments/" + Segments.of(approval.environment()) + "/approvals", body, token.raw()).asResponse();
    }

    @POST
    @Path("/deploy")
    @Operation(summary = "Request the deployment of a promotion, as the signed-in person (deploy-orchestrator, role"
            + " deployer; refused where the only approval is the requester's own)")
    public Response deploy(@NotNull(message = "a deployment is required") @Valid Promotion deployment) {
        ObjectNode body = EventJson.mapper().createObjectNode().put("application", deployment.application())
                .put("version", deployment.version()).put("environment", deployment.environment());
        return services.post(Service.DEPLOY_ORCHESTRATOR, "/deployments", body, token.raw()).asResponse();
    }

    @POST
    @Path("/rollout")
    @Operation(summary = "Promote, abort or roll back a feature's rollout, as the signed-in person (release-controller,"
            + " roles release-manager and sre)")
    public Response changeRollout(@NotNull(message = "a rollout change is required") @Valid RolloutChange change) {
        String feature = "/features/" + Segments.of(change.featureKey()) + "/environments/"
                + Segments.of(change.environment());
        String path = switch (change.action()) {
            case "promote" -> feature + "/rollouts/promote";
            case "abort" -> feature + "/rollouts/abort";
            default -> feature + "/rollback";
        };
        return services.post(Service.RELEASE_CONTROLLER, path,
                EventJson.mapper().createObjectNode().put("reason", change.reason()), token.raw()).asResponse();
    }

    @POST
    @Path("/rollback-application")
    @Operation(summary = "Roll an application back to the version that ran before, as the signed-in person"
            + " (deploy-orchestrator, roles deployer and sre)")
    public Response rollBackApplication(
            @NotNull(message = "a rollback is required") @Valid ApplicationRollback rollback) {
        return services.post(Service.DEPLOY_ORCHESTRATOR, "/environments/" + Segments.of(rollback.environment())
                        + "/applications/" + Segments.of(rollback.application()) + "/rollback",
                EventJson.mapper().createObjectNode().put("reason", rollback.reason()), token.raw()).asResponse();
    }
}
