package dev.twostep.artifactregistry.rest;

import dev.twostep.access.Roles;
import dev.twostep.artifactregistry.service.ArtefactService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Replay is a supported operation: the read model can always be rebuilt from the event store. */
@Path("/admin/read-model/rebuild")
@RolesAllowed(Roles.SRE)
public class ReadModelResource {

    private final ArtefactService service;

    ReadModelResource(ArtefactService service) {
        this.service = service;
    }

    public record Rebuilt(long eventsReplayed) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Rebuilt rebuild() {
        return new Rebuilt(service.rebuildReadModel());
    }
}
