package dev.twostep.releasecontroller.rest;

import dev.twostep.access.Roles;
import dev.twostep.releasecontroller.service.LiveReads;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** What runs in an environment, from which commit, and who sees which feature; optionally for one user. */
@Path("/environments/{env}/live")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class LiveResource {

    private final LiveReads reads;

    LiveResource(LiveReads reads) {
        this.reads = reads;
    }

    @GET
    public LiveReads.Live live(@PathParam("env") String environment, @QueryParam("user") String user) {
        return reads.live(environment, user);
    }
}
