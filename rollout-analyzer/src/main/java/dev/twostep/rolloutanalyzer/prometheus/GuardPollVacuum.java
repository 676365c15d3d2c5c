package dev.twostep.rolloutanalyzer.prometheus;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Vacuums {@code guard_poll} on a schedule, because servers run with autovacuum off and this table churns: a rollout's
 * rows are deleted when it ends, and a look that finds no room on its row's page is a non-HOT update (V17 says why
 * nearly all are HOT and pruned without vacuum). Until a vacuum records the space of those dead rows, PostgreSQL cannot
 * reuse it, and the poller's scan of the table would read it; with this job the dead rows are bounded by what one
 * period leaves.
 *
 * <p>At N replicas each vacuums once a period, never two at once: {@code SKIP_LOCKED} passes over the table while
 * another replica's vacuum holds it. A vacuum of this table costs milliseconds, so a second one in a period is
 * cheaper than agreeing whose turn it is.
 */
@ApplicationScoped
public class GuardPollVacuum {

    private final AgroalDataSource dataSource;

    GuardPollVacuum(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(every = "${twostep.analyzer.prometheus.vacuum-every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void vacuum() {
        // VACUUM cannot run inside a transaction: a connection of its own, outside any JTA transaction.
        try (Connection connection = dataSource.getConnection(); Statement vacuum = connection.createStatement()) {
            vacuum.execute("VACUUM (SKIP_LOCKED) guard_poll");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot vacuum guard_poll", e);
        }
    }
}
