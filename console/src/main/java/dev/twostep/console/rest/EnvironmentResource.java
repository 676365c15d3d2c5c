package dev.twostep.console.rest;

import dev.twostep.access.Roles;
import dev.twostep.console.config.ConsoleConfig;
import dev.twostep.console.suspects.Change;
import dev.twostep.console.suspects.Ranking;
import dev.twostep.console.suspects.Ranking.Suspect;
import dev.twostep.console.view.ChangeLog;
import dev.twostep.console.view.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/environments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EnvironmentResource {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);

    private final ChangeLog changeLog;
    private final Scope scope;
    private final Clock clock;
    private final Duration maxWindow;

    EnvironmentResource(ChangeLog changeLog, Scope scope, Clock clock,
                        ConsoleConfig config) {
        this.changeLog = changeLog;
        this.scope = scope;
        this.clock = clock;
        this.maxWindow = config.maxWindow();
    }

    @GET
    @Operation(summary = "Every environment the console has heard of, with the applications ever deployed there")
    public Map<String, List<String>> environments() {
        return scope.deployed();
    }

    /** The answer: the changes newest first, each with its rank, score and why. */
    public record Suspects(String environment, Instant at, Duration window, String ranking, boolean truncated,
                           List<SuspectView> changes) {
    }

    public record SuspectView(int rank, double score, String explanation, Instant at, Change.Kind kind, String summary,
                              String application, String featureKey, String version, String previousVersion,
                              String commit, String buildId, String rolloutId, String actor, String reason,
                              String correlationId, UUID eventId) {
        static SuspectView of(Suspect suspect) {
            Change c = suspect.change();
            return new SuspectView(suspect.rank(), suspect.score(), suspect.explanation(), c.at(), c.kind(),
                    c.summary(), c.application(), c.featureKey(), c.version(), c.previousVersion(), c.commit(),
                    c.buildId(), c.rolloutId(), c.actor(), c.reason(), c.correlationId(), c.eventId());
        }
    }

    @GET
    @Path("/{environment}/suspects")
    @Operation(summary = "What changed in the environment in the window before a moment, newest first, each ranked by"
            + " breadth × recency with its explanation")
    public Suspects suspects(
            @PathParam("environment") String environment,
            @Parameter(description = "RFC 3339; default: now") @QueryParam("at") String atText,
            @Parameter(description = "how far back: 30m, 2h, 1d or ISO 8601; default 30m") @QueryParam("window")
            String windowText) {
        Instant at = Parameters.time("at", atText, clock.instant());
        Duration window = Parameters.duration("window", windowText, DEFAULT_WINDOW);
        Parameters.notLongerThan("window", window, maxWindow);
        if (!scope.knowsEnvironment(environment)) {
            throw Parameters.unknown("environment", environment, "no event names it");
        }
        ChangeLog.Changes changes = changeLog.between(environment, at.minus(window), at);
        return new Suspects(environment, at, window, "score = breadth × 0.5^(age / " + Ranking.HALF_LIFE + ")",
                changes.truncated(), Ranking.rank(at, changes.changes()).stream().map(SuspectView::of).toList());
    }
}
