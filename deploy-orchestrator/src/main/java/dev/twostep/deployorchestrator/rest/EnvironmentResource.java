package dev.twostep.deployorchestrator.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.deployorchestrator.service.ApprovalService;
import dev.twostep.deployorchestrator.service.DeploymentReads;
import dev.twostep.deployorchestrator.service.DeploymentService;
import dev.twostep.deployorchestrator.service.EnvironmentService;
import dev.twostep.deployorchestrator.view.EnvironmentView;
import dev.twostep.deployorchestrator.view.InventoryView;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.problems.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
@RolesAllowed(Roles.VIEWER)
public class EnvironmentResource {

    private final EnvironmentService service;
    private final ApprovalService approvals;
    private final DeploymentService deployments;
    private final DeploymentReads reads;
    private final Caller caller;

    EnvironmentResource(EnvironmentService service, ApprovalService approvals, DeploymentService deployments,
                        DeploymentReads reads, Caller caller) {
        this.service = service;
        this.approvals = approvals;
        this.deployments = deployments;
        this.reads = reads;
        this.caller = caller;
    }

    /** Environments and their promotion rules are platform configuration, kept by the SREs who run the platform. */
    @PUT
    @RolesAllowed(Roles.SRE)
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public EnvironmentView define(@PathParam("name") String name,
                                  @NotNull(message = "a definition is required") @Valid EnvironmentRequest request) {
        service.define(request.toEvent(name), caller.name());
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
    @RolesAllowed(Roles.APPROVER)
    @Path("/{name}/approvals")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("name") String name,
                            @NotNull(message = "an approval is required") @Valid ApprovalRequest request) {
        PromotionApproved approval = request.toEvent(name, caller.name());
        boolean created = approvals.approve(approval, caller.name());
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(approval).build();
    }

    /** 202 with the URL of the deployment that puts back the version that ran before; 409 when there is none. */
    @POST
    @RolesAllowed({Roles.SRE, Roles.DEPLOYER})
    @Path("/{name}/applications/{application}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rollback(@PathParam("name") String name, @PathParam("application") String application,
                             @NotNull(message = "a reason is required") @Valid RollbackRequest request) {
        return DeploymentResource.accepted(
                deployments.rollback(name, application, request.reason(), caller.name()));
    }

    @GET
    @Path("/{name}/inventory")
    public InventoryView inventory(@PathParam("name") String name) {
        return reads.inventoryOf(name);
    }
}
