package dev.twostep.releasecontroller.rest;

import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.FeatureReads;
import dev.twostep.releasecontroller.service.FeatureService;
import dev.twostep.releasecontroller.view.FeatureChange;
import dev.twostep.releasecontroller.view.FeatureView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/features")
@Produces(MediaType.APPLICATION_JSON)
public class FeatureResource {

    private final FeatureService service;
    private final FeatureReads reads;

    FeatureResource(FeatureService service, FeatureReads reads) {
        this.service = service;
        this.reads = reads;
    }

    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public FeatureView define(@PathParam("key") String key, @HeaderParam(Names.ACTOR_HEADER) String actor,
                              @NotNull(message = "a feature is required") @Valid FeatureRequest request) {
        service.define(new FeatureDefined(Names.featureKey(key), request.application(), request.description()),
                EventMetadata.startedBy(Names.actor(actor)));
        return get(key);
    }

    /** The feature, its audience per environment, the deployed versions that contain it and active rollouts. */
    @GET
    @Path("/{key}")
    public FeatureView get(@PathParam("key") String key) {
        return reads.find(key).orElseThrow(() -> ProblemException.notFound("no feature " + key));
    }

    /** Every change of the feature, oldest first, with actor, reason and time. */
    @GET
    @Path("/{key}/history")
    public List<FeatureChange> history(@PathParam("key") String key) {
        get(key);
        return reads.history(key);
    }
}
