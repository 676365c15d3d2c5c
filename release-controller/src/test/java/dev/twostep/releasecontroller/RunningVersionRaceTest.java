package dev.twostep.releasecontroller;

import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.releasecontroller.service.DeployedService;
import dev.twostep.releasecontroller.view.RunningVersionEntity;
import dev.twostep.releasecontroller.view.RunningVersionRepository;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas that own different partitions of the deployment topic can apply two DeploymentSucceeded of one
 * application and environment at the same time. Each test holds the first transaction open until the second has
 * committed or waits for the first's lock, then commits the first: the newer deployment must be the one recorded.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RunningVersionRaceTest {

    private static final Instant BEFORE = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant OLDER = BEFORE.plusSeconds(60);
    private static final Instant NEWER = BEFORE.plusSeconds(120);

    @Inject
    DeployedService deployed;
    @Inject
    RunningVersionRepository running;
    @Inject
    AgroalDataSource database;

    @Test
    void theNewerDeploymentIsRecordedWhenTheOlderOneCommitsLast() {
        String application = runningSince(BEFORE, "1.0.0");

        Race race = race(succeeded(application, "1.1.0", OLDER), succeeded(application, "1.2.0", NEWER));

        assertThat(runningVersion(application)).isEqualTo("1.2.0");
        assertThat(race.firstChanged()).isTrue();
        assertThat(race.secondChanged()).isTrue();
    }

    @Test
    void anOlderDeploymentAppliedWhileTheNewerOneCommitsChangesNothing() {
        String application = runningSince(BEFORE, "1.0.0");

        Race race = race(succeeded(application, "1.2.0", NEWER), succeeded(application, "1.1.0", OLDER));

        assertThat(runningVersion(application)).isEqualTo("1.2.0");
        assertThat(race.secondChanged()).as("the older deployment changes what runs").isFalse();
    }

    private record Applied(DeploymentSucceeded succeeded, EventEnvelope envelope) {
    }

    private record Race(boolean firstChanged, boolean secondChanged) {
    }

    /** Applies {@code first} and keeps its transaction open while {@code second} is applied in another one. */
    private Race race(Applied first, Applied second) {
        CountDownLatch firstApplied = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        try (ExecutorService replicas = Executors.newFixedThreadPool(2)) {
            Future<Boolean> firstCommitted = replicas.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                boolean changed = deployed.recordDeployment(first.succeeded(), first.envelope()).isPresent();
                firstApplied.countDown();
                assertThat(commitFirst.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                return changed;
            }));
            await().atMost(PATIENCE).until(() -> firstApplied.getCount() == 0 || firstCommitted.isDone());

            Future<Boolean> secondCommitted = replicas.submit(() -> QuarkusTransaction.requiringNew().call(() ->
                    deployed.recordDeployment(second.succeeded(), second.envelope()).isPresent()));
            await().atMost(PATIENCE).until(() -> secondCommitted.isDone() || waitsForARunningVersionLock());
            commitFirst.countDown();

            return new Race(firstCommitted.get(), secondCommitted.get());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a replica's transaction failed", e);
        }
    }

    private boolean waitsForARunningVersionLock() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet waiting = statement.executeQuery("""
                     SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                     AND wait_event_type = 'Lock' AND query LIKE '%running_version%'""")) {
            waiting.next();
            return waiting.getLong(1) > 0;
        }
    }

    private String runningSince(Instant since, String version) {
        String application = unique("shop");
        Applied first = succeeded(application, version, since);
        QuarkusTransaction.requiringNew().run(() -> deployed.recordDeployment(first.succeeded(), first.envelope()));
        return application;
    }

    private String runningVersion(String application) {
        return QuarkusTransaction.requiringNew().call(() ->
                running.findById(RunningVersionEntity.idOf("prod", application)).version);
    }

    private static Applied succeeded(String application, String version, Instant at) {
        DeploymentSucceeded succeeded = new DeploymentSucceeded("dep-" + UUID.randomUUID(), application, version,
                "prod", "sha256:" + "a".repeat(64), "abcdef1", null);
        return new Applied(succeeded, new EventEnvelope(UUID.randomUUID(), "/twostep/deploy-orchestrator",
                succeeded.aggregateId(), 3, at, "story-" + UUID.randomUUID(), null, "test", null, succeeded));
    }
}
