package dev.twostep.console.rest;

import dev.twostep.access.Roles;
import dev.twostep.console.config.ConsoleConfig;
import dev.twostep.console.delivery.DeliveryReport;
import dev.twostep.console.delivery.Window;
import dev.twostep.console.view.DeliveryReports;
import dev.twostep.console.view.Scope;
import dev.twostep.problems.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The four keys, served by the console because it is the one service that reads every topic: deploys come from the
 * deploy-orchestrator's events, releases from the release-controller's, decisions from the analyzer's and lead times
 * start at the build-service's; no producing service sees all of them.
 */
@Path("/metrics/delivery")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeliveryResource {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    private final DeliveryReports reports;
    private final Scope scope;
    private final Clock clock;
    private final Duration maxWindow;

    DeliveryResource(DeliveryReports reports, Scope scope, Clock clock,
                     ConsoleConfig config) {
        this.reports = reports;
        this.scope = scope;
        this.clock = clock;
        this.maxWindow = config.maxWindow();
    }

    @GET
    @Operation(summary = "Deployment and release frequency, lead times, change failure rates and times to restore of"
            + " one application in one environment over [from, to); expand=true lists the events behind each figure")
    public DeliveryReport delivery(
            @Parameter(description = "the application (artefact name)") @QueryParam("application") String application,
            @Parameter(description = "the environment") @QueryParam("environment") String environment,
            @Parameter(description = "RFC 3339; default: 30 days before to") @QueryParam("from") String fromText,
            @Parameter(description = "RFC 3339, exclusive; default: now") @QueryParam("to") String toText,
            @Parameter(description = "true lists each figure's items and their event ids") @QueryParam("expand")
            String expandText) {
        String app = Parameters.required("application", application);
        String env = Parameters.required("environment", environment);
        Instant to = Parameters.time("to", toText, clock.instant());
        Instant from = Parameters.time("from", fromText, to.minus(DEFAULT_WINDOW));
        boolean expand = Parameters.flag("expand", expandText);
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("from", "must be before to (" + to + ")");
        }
        Parameters.notLongerThan("from", Duration.between(from, to), maxWindow);
        if (!scope.knowsEnvironment(env)) {
            throw Parameters.unknown("environment", env, "no event names it");
        }
        if (!scope.knowsApplication(app)) {
            throw Parameters.unknown("application", app, "no artefact or deployment names it");
        }
        DeliveryReport report = reports.report(app, env, new Window(from, to));
        return expand ? report : report.collapsed();
    }
}
