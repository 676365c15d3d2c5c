package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.access.Roles;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;

@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class MetricResource {

    private final MetricSamples samples;

    MetricResource(MetricSamples samples) {
        this.samples = samples;
    }

    public record Batch(@NotNull @Size(min = 1, max = 10_000) List<@NotNull @Valid MetricSampleRequest> samples) {
    }

    public record Accepted(int received, int added) {
    }

    /** 202: the batch is stored whole; samples already seen (by id) are not counted twice. */
    @POST
    @RolesAllowed(Roles.TELEMETRY)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response record(@NotNull(message = "a batch is required") @Valid Batch batch) {
        List<MetricSampleRecorded> events = new ArrayList<>(batch.samples().size());
        for (int i = 0; i < batch.samples().size(); i++) {
            events.add(batch.samples().get(i).toEvent(i));
        }
        int added = samples.record(events);
        return Response.accepted(new Accepted(events.size(), added)).build();
    }

    @GET
    @Path("/totals")
    public MetricSamples.Totals totals(@QueryParam("featureKey") String featureKey,
                                       @QueryParam("environment") String environment) {
        return samples.totals(featureKey, environment);
    }
}
