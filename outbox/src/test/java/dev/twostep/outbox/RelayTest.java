package dev.twostep.outbox;

import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.twostep.outbox.Builds.build;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The relay against a real PostgreSQL and Kafka: late commits, rollbacks, and a crash between publish and save. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RelayTest {

    @Inject
    EventStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTransactionThatCommitsLateIsPublishedAfterTheLaterPositionsItWaitedBehind() throws Exception {
        String late = "late-" + UUID.randomUUID();
        String early = "early-" + UUID.randomUUID();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // The late transaction draws its position first and commits only after a later one was published.
        CompletableFuture<Void> lateWriter = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew()
                .run(() -> {
                    store.append(late, 0, List.of(build(late)), EventMetadata.startedBy("test"));
                    appended.countDown();
                    awaitQuietly(commit);
                }));
        assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
        append(early);

        await().atMost(Duration.ofSeconds(30)).until(() -> published(early) == 1);
        assertThat(published(late)).as("not committed yet").isZero();
        commit.countDown();
        lateWriter.get(30, TimeUnit.SECONDS);
        assertThat(position(late)).as("the late event's position lies behind the published one")
                .isLessThan(position(early));

        await().atMost(Duration.ofSeconds(30)).until(() -> published(late) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> cursorGaps() == 0);
        assertThat(published(early)).isEqualTo(1);
    }

    @Test
    void theGapOfARolledBackAppendIsForgottenAndNothingOfItIsPublished() {
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            store.append(rolledBack, 0, List.of(build(rolledBack), build(rolledBack)), EventMetadata.startedBy("test"));
            throw new IllegalStateException("the business rule failed after the append");
        })).hasMessageContaining("business rule");
        String after = "after-rollback-" + UUID.randomUUID();
        append(after);

        await().atMost(Duration.ofSeconds(30)).until(() -> published(after) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> cursorGaps() == 0);
        assertThat(published(rolledBack)).isZero();
    }

    /**
     * The state a crash between Kafka's acknowledgement and the cursor's save leaves: events on Kafka, the saved
     * cursor behind them, the leader gone. The next leader publishes them again, and the inbox applies them once.
     */
    @Test
    void afterACrashBetweenPublishAndSaveTheNextLeaderResendsAndConsumersApplyOnce() throws SQLException {
        String aggregate = "crash-" + UUID.randomUUID();
        append(aggregate);
        await().atMost(Duration.ofSeconds(30)).until(() -> published(aggregate) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(aggregate) == 1);

        long before = position(aggregate) - 1;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // Holding the cursor's row until the leader is gone: it cannot save over the rewind, and the next
            // leader loads the cursor only after it.
            connection.setAutoCommit(false);
            statement.execute("UPDATE outbox_cursor SET published_through = " + before);
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'outbox-test-outbox-relay'");
            connection.commit();
        }
        String next = "after-crash-" + UUID.randomUUID();
        append(next);

        await().atMost(Duration.ofSeconds(30)).until(() -> published(next) == 1);
        assertThat(published(aggregate)).as("sent again by the next leader").isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(next) == 1);
        assertThat(applied(aggregate)).as("the redelivery changed nothing").isEqualTo(1);
    }

    private void append(String aggregate) {
        QuarkusTransaction.requiringNew().run(() ->
                store.append(aggregate, 0, List.of(build(aggregate)), EventMetadata.startedBy("test")));
    }

    private static long published(String aggregate) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream().filter(r -> aggregate.equals(r.key())).count();
    }

    private long applied(String aggregate) throws SQLException {
        return queryLong("SELECT count(*) FROM test_effect WHERE build_id = '" + aggregate + "'");
    }

    private long position(String aggregate) throws SQLException {
        return queryLong("SELECT position FROM event_store WHERE aggregate_id = '" + aggregate + "'");
    }

    private long cursorGaps() throws SQLException {
        return queryLong("SELECT cardinality(gap_from) FROM outbox_cursor");
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
