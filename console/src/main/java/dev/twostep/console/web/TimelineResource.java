package dev.twostep.console.web;

import dev.twostep.access.Roles;
import dev.twostep.console.rest.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The timeline page's data: the merged event log, and the same live over server-sent events. */
@Path("/ui/api/timeline")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TimelineResource {

    /** How often a live reader looks for new rows: a timeline a person watches, not a feed for machines. */
    static final Duration POLL = Duration.ofMillis(500);

    private final Timeline timeline;
    private final Clock clock;

    TimelineResource(Timeline timeline, Clock clock) {
        this.timeline = timeline;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "The newest 500 events of every topic, oldest first, filtered like ./twostep log")
    public List<Timeline.Entry> newest(@QueryParam("feature") String feature,
                                       @QueryParam("environment") String environment,
                                       @QueryParam("application") String application,
                                       @QueryParam("since") String since,
                                       @QueryParam("correlation") String correlation) {
        return timeline.newest(filter(feature, environment, application, since, correlation)).stream()
                .map(Timeline.Entry::listed).toList();
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events as they are recorded, from 'after' (RFC 3339; default now), as server-sent events")
    public Multi<Timeline.Entry> stream(@QueryParam("feature") String feature,
                                        @QueryParam("environment") String environment,
                                        @QueryParam("application") String application,
                                        @QueryParam("since") String since,
                                        @QueryParam("correlation") String correlation,
                                        @QueryParam("after") String after) {
        LiveReader reader = new LiveReader(timeline, filter(feature, environment, application, since, correlation),
                Parameters.time("after", after, clock.instant()));
        return Multi.createFrom().ticks().every(POLL)
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToIterable(tick -> reader.next().stream().map(Timeline.Entry::listed).toList());
    }

    private Timeline.Filter filter(String feature, String environment, String application, String since,
                                   String correlation) {
        Instant from = since == null || since.isBlank() ? null
                : clock.instant().minus(Parameters.duration("since", since, Duration.ZERO));
        return new Timeline.Filter(blankIsNull(feature), blankIsNull(environment), blankIsNull(application), from,
                blankIsNull(correlation));
    }

    private static String blankIsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
