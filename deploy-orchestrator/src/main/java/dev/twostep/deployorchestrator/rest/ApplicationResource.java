package dev.twostep.deployorchestrator.rest;

import dev.twostep.access.Roles;
import dev.twostep.deployorchestrator.service.DeploymentReads;
import dev.twostep.deployorchestrator.view.DeploymentView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ApplicationResource {

    private final DeploymentReads reads;

    ApplicationResource(DeploymentReads reads) {
        this.reads = reads;
    }

    /** Every deployment of the application, in every environment, newest first. */
    @GET
    @Path("/{application}/deployments")
    public List<DeploymentView> deployments(@PathParam("application") String application) {
        return reads.ofApplication(application);
    }
}
