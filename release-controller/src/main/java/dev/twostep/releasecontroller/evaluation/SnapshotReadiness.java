package dev.twostep.releasecontroller.evaluation;

import dev.twostep.releasecontroller.service.ReleaseProjection;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The service is ready to evaluate flags only once the snapshot holds every release. */
@Readiness
@ApplicationScoped
class SnapshotReadiness implements HealthCheck {

    private final FlagSnapshot snapshot;
    private final ReleaseProjection projection;

    SnapshotReadiness(FlagSnapshot snapshot, ReleaseProjection projection) {
        this.snapshot = snapshot;
        this.projection = projection;
    }

    void fill(@Observes StartupEvent ignored) {
        projection.fill(snapshot);
        snapshot.markLoaded();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("flag-snapshot").status(snapshot.loaded())
                .withData("flags", snapshot.all().size()).build();
    }
}
