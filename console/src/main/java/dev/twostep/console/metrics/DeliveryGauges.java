package dev.twostep.console.metrics;

import dev.twostep.console.config.ConsoleConfig;
import dev.twostep.console.delivery.DeliveryReport;
import dev.twostep.console.delivery.Window;
import dev.twostep.console.view.DeliveryReports;
import dev.twostep.console.view.Scope;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The four keys as Prometheus gauges per application and environment, over the trailing
 * {@code twostep.console.gauge-window} (30 days), recomputed every {@code twostep.console.gauge-every} rather than on
 * each scrape, so that a scrape never waits on the database. A figure without a value (no deployment in the window) is
 * NaN, which Prometheus shows as absent.
 */
@ApplicationScoped
public class DeliveryGauges {

    private final DeliveryReports reports;
    private final Scope scope;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration window;
    private final Map<String, DeliveryReport> latest = new ConcurrentHashMap<>();

    DeliveryGauges(DeliveryReports reports, Scope scope, MeterRegistry registry, Clock clock,
                   ConsoleConfig config) {
        this.reports = reports;
        this.scope = scope;
        this.registry = registry;
        this.clock = clock;
        this.window = config.gaugeWindow();
    }

    /** Recomputes every pair's figures; on the timer, and by tests, which switch the timer off. */
    @Scheduled(every = "${twostep.console.gauge-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        Instant now = clock.instant();
        scope.deployed().forEach((environment, applications) -> applications.forEach(application -> {
            String key = environment + "\u0000" + application;
            DeliveryReport report = reports.report(application, environment, new Window(now.minus(window), now));
            if (latest.put(key, report) == null) {
                register(key, Tags.of("application", application, "environment", environment));
            }
        }));
    }

    private void register(String key, Tags tags) {
        gauge("twostep.delivery.deployments.per.day", key, tags, r -> r.deploys().frequency().perDay());
        gauge("twostep.delivery.releases.per.day", key, tags, r -> r.releases().frequency().perDay());
        gauge("twostep.delivery.lead.time.to.deploy.seconds", key, tags,
                r -> value(r.deploys().leadTime().medianSeconds()));
        gauge("twostep.delivery.lead.time.to.exposure.seconds", key, tags,
                r -> value(r.releases().leadTimeToFirstExposure().medianSeconds()));
        gauge("twostep.delivery.lead.time.to.everyone.seconds", key, tags,
                r -> value(r.releases().leadTimeToEveryone().medianSeconds()));
        gauge("twostep.delivery.deploy.change.failure.ratio", key, tags,
                r -> value(r.deploys().changeFailureRate().rate()));
        gauge("twostep.delivery.release.change.failure.ratio", key, tags,
                r -> value(r.releases().changeFailureRate().rate()));
        gauge("twostep.delivery.deploy.time.to.restore.seconds", key, tags,
                r -> value(r.deploys().timeToRestore().medianSeconds()));
        gauge("twostep.delivery.release.time.to.restore.seconds", key, tags,
                r -> value(r.releases().timeToRestore().medianSeconds()));
    }

    private void gauge(String name, String key, Tags tags, ToDoubleFunction<DeliveryReport> figure) {
        Gauge.builder(name, latest, reports -> {
            DeliveryReport report = reports.get(key);
            return report == null ? Double.NaN : figure.applyAsDouble(report);
        }).tags(tags).register(registry);
    }

    private static double value(Double figure) {
        return figure == null ? Double.NaN : figure;
    }
}
