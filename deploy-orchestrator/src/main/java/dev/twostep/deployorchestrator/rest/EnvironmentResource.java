package dev.twostep.deployorchestrator.rest;

import dev.twostep.deployorchestrator.service.ApprovalService;
import dev.twostep.deployorchestrator.service.DeploymentService;
import dev.twostep.deployorchestrator.service.EnvironmentService;
import dev.twostep.deployorchestrator.view.EnvironmentView;
import dev.twostep.deployorchestrator.view.InventoryView;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {

    private final EnvironmentService service;
    private final ApprovalService approvals;
    private final DeploymentService deployments;

    EnvironmentResource(EnvironmentService service, ApprovalService approvals, DeploymentService deployments) {
        this.service = service;
        this.approvals = approvals;
        this.deployments = deployments;
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public EnvironmentView define(@PathParam("name") String name,
                                  @NotNull(message = "a definition is required") @Valid EnvironmentRequest request) {
        service.define(request.toEvent(name), "platform-team");
        return service.find(name).orElseThrow();
    }

    @GET
    public List<EnvironmentView> all() {
        return service.all();
    }

    @GET
    @Path("/{name}")
    public EnvironmentView get(@PathParam("name") String name) {
        return service.find(name).orElseThrow(() -> ProblemException.notFound("no environment " + name));
    }

    /**
     * 201 for a new approval, 200 when this approver had already approved. An approval by the person
     * who then requests the deployment does not count (four eyes).
     */
    @POST
    @Path("/{name}/approvals")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("name") String name, @HeaderParam(Actors.HEADER) String actor,
                            @NotNull(message = "an approval is required") @Valid ApprovalRequest request) {
        boolean created = approvals.approve(request.toEvent(name), Actors.or(actor, request.approvedBy()));
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(request).build();
    }

    /** 202 with the URL of the deployment that puts back the version that ran before; 409 when there is none. */
    @POST
    @Path("/{name}/applications/{application}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rollback(@PathParam("name") String name, @PathParam("application") String application,
                             @HeaderParam(Actors.HEADER) String actor,
                             @NotNull(message = "a reason is required") @Valid RollbackRequest request) {
        return DeploymentResource.accepted(
                deployments.rollback(name, application, request.reason(), Actors.or(actor, "deployer")));
    }

    @GET
    @Path("/{name}/inventory")
    public InventoryView inventory(@PathParam("name") String name) {
        return deployments.inventoryOf(name);
    }
}
