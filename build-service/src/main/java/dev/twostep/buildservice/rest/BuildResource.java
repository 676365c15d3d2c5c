package dev.twostep.buildservice.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.buildservice.service.BuildService;
import dev.twostep.buildservice.view.BuildView;
import dev.twostep.problems.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

@Path("/builds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class BuildResource {

    private final BuildService service;
    private final Caller caller;

    BuildResource(BuildService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** 201 for a new build, 200 for an exact repeat (no new event), 409 for the same id with other content. */
    @POST
    @RolesAllowed(Roles.CI)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response record(@NotNull(message = "a build is required") @Valid BuildRequest request, UriInfo uri) {
        BuildService.Recorded recorded = service.record(request.toEvent(), caller.name());
        BuildView view = service.find(request.buildId()).orElseThrow();
        if (recorded == BuildService.Recorded.REPEAT) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(request.buildId()).build()).entity(view).build();
    }

    @GET
    @Path("/{buildId}")
    public BuildView get(@PathParam("buildId") String buildId) {
        return service.find(buildId).orElseThrow(() -> ProblemException.notFound("no build " + buildId));
    }

    @GET
    public List<BuildView> byCommit(@QueryParam("repository") String repository, @QueryParam("commit") String commit) {
        if (repository == null && commit == null) {
            throw ProblemException.invalid("commit", "give a repository, a commit, or both");
        }
        return service.byCommit(repository, commit == null ? null : commit.toLowerCase());
    }
}
