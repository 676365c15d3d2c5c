package dev.twostep.releasecontroller.intake;

import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the flag snapshot holds every release that was on the topic when the replica started, and from then on:
 * evaluation is served from memory, so it goes on while Kafka or PostgreSQL is away, and the lag and age say how
 * stale the answers may be. Neither the database nor Kafka decides readiness (see the README).
 */
@Readiness
@ApplicationScoped
class SnapshotReadiness implements HealthCheck {

    private final FlagSnapshot snapshot;
    private final SnapshotFollower follower;

    SnapshotReadiness(FlagSnapshot snapshot, SnapshotFollower follower) {
        this.snapshot = snapshot;
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("flag-snapshot")
                .status(follower.progress().caughtUpWithStart()).withData("flags", snapshot.all().size());
        follower.progress().lagRecords().ifPresent(lag -> response.withData("lagRecords", lag));
        follower.age().ifPresent(age -> response.withData("ageMillis", age.toMillis()));
        return response.build();
    }
}
