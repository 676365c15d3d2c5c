package dev.twostep.releasecontroller.rest;

import dev.twostep.access.Roles;
import dev.twostep.releasecontroller.service.ReleaseProjection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Replay is a supported operation: features, audiences and rollouts are rebuilt from the event store.
 * What runs where is learnt from other services' topics; a new consumer group replays those.
 */
@Path("/admin/read-model/rebuild")
@RolesAllowed(Roles.SRE)
public class ReadModelResource {

    private final ReleaseProjection projection;

    ReadModelResource(ReleaseProjection projection) {
        this.projection = projection;
    }

    public record Rebuilt(long eventsReplayed) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Rebuilt rebuild() {
        return new Rebuilt(projection.rebuild());
    }
}
