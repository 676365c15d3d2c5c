package dev.twostep.deployorchestrator.rest;

import dev.twostep.deployorchestrator.service.EnvironmentService;
import dev.twostep.deployorchestrator.view.EnvironmentView;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentResource {

    private final EnvironmentService service;

    EnvironmentResource(EnvironmentService service) {
        this.service = service;
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
}
