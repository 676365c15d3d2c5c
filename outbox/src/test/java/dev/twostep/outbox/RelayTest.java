package dev.twostep.outbox;

import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.RelayDrain;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.stream.IntStream;

import static dev.twostep.outbox.Builds.build;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The relay against a real PostgreSQL and Kafka: late commits, rollbacks, and a crash between publish and save. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RelayTest {

    /** How the relay names its database session ({@code ApplicationName}). */
    private static final String RELAY = "outbox-test-outbox-relay";

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
     * The relay lost between Kafka's acknowledgement and the cursor's save, for certain rather than by luck: the test
     * holds the cursor's row lock, so the relay publishes, has its acknowledgements, and then waits on that lock to
     * save. Once the events are on the topic and the relay's session waits in that save, the test ends the session,
     * which is what the death of its process does (its transaction and its lead go with it). The next leader starts
     * from the saved cursor, behind the published events, and sends them again; the consumer applies each once.
     *
     * <p>Which layer proves what: the topic holds every event twice under one id (the relay is at least once, and
     * the re-send is counted, not assumed); {@code test_effect} has no key, so an event applied twice would leave two
     * rows (the inbox is what keeps it to one).
     */
    @Test
    void aRelayLostBetweenKafkasAcknowledgementAndTheCursorSaveResendsAndConsumersApplyEachOnce() throws Exception {
        RelayDrain.awaitPublished(dataSource);
        String aggregate = "window-" + UUID.randomUUID();
        int events = 5;
        try (Connection cursorHolder = dataSource.getConnection();
             Statement statement = cursorHolder.createStatement()) {
            cursorHolder.setAutoCommit(false);
            statement.execute("SELECT published_through FROM outbox_cursor FOR UPDATE");
            QuarkusTransaction.requiringNew().run(() -> store.append(aggregate, 0,
                    IntStream.range(0, events).mapToObj(i -> build(aggregate)).toList(),
                    EventMetadata.startedBy("test")));

            await().atMost(Duration.ofSeconds(30)).until(() -> published(aggregate) == events);
            await().atMost(Duration.ofSeconds(30)).until(() -> relaySessions("wait_event_type = 'Lock'"
                    + " AND query LIKE 'UPDATE outbox_cursor%'") == 1);
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + RELAY + "' AND datname = current_database()");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> relaySessions("query LIKE 'UPDATE outbox_cursor%'") == 0);
            try (ResultSet saved = statement.executeQuery("SELECT published_through FROM outbox_cursor")) {
                saved.next();
                assertThat(saved.getLong(1)).as("the saved cursor, behind the published events")
                        .isLessThan(firstPosition(aggregate));
            }
            cursorHolder.commit();
        }
        String marker = "after-the-window-" + UUID.randomUUID();
        append(marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> published(marker) == 1);

        List<ConsumerRecord<String, byte[]>> onTopic = records(aggregate);
        long distinct = onTopic.stream().map(r -> KafkaProbe.header(r, "ce_id")).distinct().count();
        assertThat(distinct).as("events, each under one id").isEqualTo(events);
        assertThat(onTopic.size() - distinct).as("records the next leader sent again").isEqualTo(events);

        // Same key, same partition: once a later event of the aggregate is applied, both copies of each were seen.
        QuarkusTransaction.requiringNew().run(() -> store.append(aggregate, events, List.of(build(aggregate)),
                EventMetadata.startedBy("test")));
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(aggregate) > events);
        assertThat(queryLong("SELECT count(*) FROM (SELECT event_id FROM test_effect WHERE build_id = '" + aggregate
                + "' GROUP BY event_id HAVING count(*) > 1) doubled")).as("events applied more than once").isZero();
        assertThat(applied(aggregate)).as("each event applied once").isEqualTo(events + 1);
    }

    private void append(String aggregate) {
        QuarkusTransaction.requiringNew().run(() ->
                store.append(aggregate, 0, List.of(build(aggregate)), EventMetadata.startedBy("test")));
    }

    private static long published(String aggregate) {
        return records(aggregate).size();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String aggregate) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream().filter(r -> aggregate.equals(r.key())).toList();
    }

    private long relaySessions(String condition) throws SQLException {
        return queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + RELAY + "'"
                + " AND datname = current_database() AND " + condition);
    }

    private long firstPosition(String aggregate) throws SQLException {
        return queryLong("SELECT min(position) FROM event_store WHERE aggregate_id = '" + aggregate + "'");
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
