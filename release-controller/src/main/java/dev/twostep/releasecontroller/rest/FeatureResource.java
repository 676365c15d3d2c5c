package dev.twostep.releasecontroller.rest;

import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.FeatureService;
import dev.twostep.releasecontroller.view.FeatureView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/features")
@Produces(MediaType.APPLICATION_JSON)
public class FeatureResource {

    private final FeatureService service;

    FeatureResource(FeatureService service) {
        this.service = service;
    }

    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public FeatureView define(@PathParam("key") String key,
                              @NotNull(message = "a feature is required") @Valid FeatureRequest request) {
        if (!key.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            throw ProblemException.invalid("key", "must be a feature key: letters, digits and . _ - (at most 200)");
        }
        service.define(new FeatureDefined(key, request.application(), request.description()),
                EventMetadata.startedBy("release-manager"));
        return service.find(key).orElseThrow();
    }

    @GET
    @Path("/{key}")
    public FeatureView get(@PathParam("key") String key) {
        return service.find(key).orElseThrow(() -> ProblemException.notFound("no feature " + key));
    }
}
