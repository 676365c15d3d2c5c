package dev.twostep.releasecontroller.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.FeatureReads;
import dev.twostep.releasecontroller.service.FeatureService;
import dev.twostep.releasecontroller.view.FeatureChange;
import dev.twostep.releasecontroller.view.FeatureView;
import jakarta.annotation.security.RolesAllowed;
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

@Path("/features")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class FeatureResource {

    private final FeatureService service;
    private final FeatureReads reads;
    private final Caller caller;

    FeatureResource(FeatureService service, FeatureReads reads, Caller caller) {
        this.service = service;
        this.reads = reads;
        this.caller = caller;
    }

    @PUT
    @Path("/{key}")
    @RolesAllowed(Roles.RELEASE_MANAGER)
    @Consumes(MediaType.APPLICATION_JSON)
    public FeatureView define(@PathParam("key") String key,
                              @NotNull(message = "a feature is required") @Valid FeatureRequest request) {
        service.define(new FeatureDefined(Names.featureKey(key), request.application(), request.description()),
                EventMetadata.startedBy(caller.name()));
        return get(key);
    }

    /** Every feature, in key order, each with its environments as {@code GET /features/{key}} shows them. */
    @GET
    public List<FeatureView> list() {
        return reads.all();
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
