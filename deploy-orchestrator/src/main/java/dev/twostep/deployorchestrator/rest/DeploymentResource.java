package dev.twostep.deployorchestrator.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.deployorchestrator.service.DeploymentReads;
import dev.twostep.deployorchestrator.service.DeploymentService;
import dev.twostep.deployorchestrator.service.DeploymentService.Report;
import dev.twostep.deployorchestrator.view.DeploymentView;
import dev.twostep.events.Topics;
import dev.twostep.outbox.TopicCatchUp;
import dev.twostep.problems.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

@Path("/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeploymentResource {

    private final DeploymentService service;
    private final DeploymentReads reads;
    private final Caller caller;
    private final TopicCatchUp catchUp;

    DeploymentResource(DeploymentService service, DeploymentReads reads, Caller caller, TopicCatchUp catchUp) {
        this.service = service;
        this.reads = reads;
        this.caller = caller;
        this.catchUp = catchUp;
    }

    /**
     * 202 with the deployment's URL: it is requested and started, the target carries it out. A repeat
     * with the same {@code Idempotency-Key} answers the same deployment again. Refusals write nothing:
     * 422 for an unknown artefact or environment, 409 for a revoked artefact, an unmet promotion rule,
     * a missing approval or a deployment of the application already in flight there, 403 when the
     * only approvals are the requester's own.
     */
    @POST
    @RolesAllowed(Roles.DEPLOYER)
    public Response request(@HeaderParam("Idempotency-Key") String key,
                            @NotNull(message = "a deployment is required") @Valid DeploymentRequest request) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        // An artefact the registry just published may not be consumed here yet: catch up before saying it is unknown.
        DeploymentView deployment = catchUp.retryWhileBehind(
                () -> service.request(request.toOrder(), caller.name(), key),
                refused -> refused.status() == 422 && refused.getMessage() != null
                        && refused.getMessage().startsWith("no artefact"),
                List.of(Topics.ARTEFACT_EVENTS)).deployment();
        return accepted(deployment);
    }

    static Response accepted(DeploymentView deployment) {
        return Response.accepted(deployment).location(URI.create(deployment.url())).build();
    }

    @GET
    @Path("/{id}")
    public DeploymentView get(@PathParam("id") String id) {
        return reads.find(id).orElseThrow(() -> ProblemException.notFound("no deployment " + id));
    }

    /** An external target's report: 200, or 409 when the deployment already ended otherwise or is not external. */
    @POST
    @RolesAllowed(Roles.DEPLOYER)
    @Path("/{id}/status")
    public DeploymentView report(@PathParam("id") String id,
                                 @NotNull(message = "a report is required") @Valid StatusReport report) {
        String reason = report.reason();
        if (report.status() == Report.FAILED && (reason == null || reason.isBlank())) {
            throw ProblemException.invalid("reason", "is required when the status is FAILED");
        }
        return service.report(id, report.status(), reason, caller.name());
    }
}
