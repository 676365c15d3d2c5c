package dev.twostep.console.rest;

import dev.twostep.access.Roles;
import dev.twostep.console.intake.ReadModelRebuild;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/read-model/rebuild")
@Produces(MediaType.APPLICATION_JSON)
public class ReadModelResource {

    private final ReadModelRebuild rebuild;

    ReadModelResource(ReadModelRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @POST
    @RolesAllowed(Roles.SRE)
    @Operation(summary = "Empties the read model and applies every event again from the beginning of the topics;"
            + " answers when done, with the count and the rate")
    public ReadModelRebuild.Rebuilt rebuild() {
        return rebuild.fromBeginning();
    }
}
