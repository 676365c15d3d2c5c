package dev.twostep.artifactregistry.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.artifactregistry.artefact.Artefact;
import dev.twostep.artifactregistry.provenance.ProvenanceStatement;
import dev.twostep.artifactregistry.service.ArtefactService;
import dev.twostep.artifactregistry.view.ArtefactView;
import dev.twostep.events.Topics;
import dev.twostep.events.rules.CommitSha;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.TopicCatchUp;
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

import java.time.Clock;
import java.util.List;

@Path("/artefacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ArtefactResource {

    private final ArtefactService service;
    private final Clock clock;
    private final Caller caller;
    private final TopicCatchUp catchUp;
    private final CommandPath commands;

    ArtefactResource(ArtefactService service, Clock clock, Caller caller, TopicCatchUp catchUp, CommandPath commands) {
        this.service = service;
        this.clock = clock;
        this.caller = caller;
        this.catchUp = catchUp;
        this.commands = commands;
    }

    /** 201 for a new version, 200 for an identical republish, 409 (and a recorded rejection) for another digest. */
    @POST
    @RolesAllowed(Roles.PUBLISHER)
    public Response publish(@NotNull(message = "an artefact is required") @Valid PublishRequest request, UriInfo uri) {
        Artefact.Outcome outcome = commands.call(() ->
                service.publish(request.toEvent(clock.instant()), EventMetadata.startedBy(caller.name())));
        ArtefactView view = service.find(request.name(), request.version()).orElseThrow();
        return switch (outcome) {
            case Artefact.Outcome.Published published -> Response.created(uri.getBaseUriBuilder()
                    .path("artefacts/{name}/versions/{version}").build(request.name(), request.version()))
                    .entity(view).build();
            case Artefact.Outcome.Rejected rejected -> throw ProblemException.conflict("version " + request.version()
                    + " of " + request.name() + " is already published with digest " + rejected.existingDigest()
                    + "; versions are immutable, publish a new version");
            default -> Response.ok(view).build();
        };
    }

    @POST
    @RolesAllowed(Roles.PUBLISHER)
    @Path("/{name}/versions/{version}/revoke")
    public ArtefactView revoke(@PathParam("name") String name, @PathParam("version") String version,
                               @NotNull(message = "a reason is required") @Valid RevokeRequest request) {
        Artefact.Outcome outcome = commands.call(() ->
                service.revoke(name, version, request.reason(), EventMetadata.startedBy(caller.name())));
        if (outcome instanceof Artefact.Outcome.Unknown) {
            throw ProblemException.notFound("no artefact " + name + " version " + version);
        }
        return service.find(name, version).orElseThrow();
    }

    @GET
    @Path("/{name}/versions/{version}")
    public ArtefactView get(@PathParam("name") String name, @PathParam("version") String version) {
        // A build that CI just posted may not be consumed here yet: catch up before saying it is unknown.
        return catchUp.retryWhileBehind(() -> service.find(name, version)
                        .orElseThrow(() -> ProblemException.notFound("no artefact " + name + " version " + version)),
                refused -> refused.status() == 404, List.of(Topics.BUILD_EVENTS));
    }

    /** The artefact's provenance as an in-toto Statement with a SLSA Provenance v1 predicate (unsigned). */
    @GET
    @Path("/{name}/versions/{version}/provenance")
    @Produces({ProvenanceStatement.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public ProvenanceStatement provenance(@PathParam("name") String name, @PathParam("version") String version) {
        return ProvenanceStatement.of(get(name, version));
    }

    @GET
    @Path("/{name}/versions")
    public List<ArtefactView> versions(@PathParam("name") String name) {
        return service.versionsOf(name);
    }

    @GET
    public List<ArtefactView> byCommit(@QueryParam("commit") String commit) {
        if (commit == null || !commit.matches(CommitSha.PATTERN)) {
            throw ProblemException.invalid("commit", CommitSha.MESSAGE);
        }
        return service.byCommit(commit.toLowerCase());
    }
}
