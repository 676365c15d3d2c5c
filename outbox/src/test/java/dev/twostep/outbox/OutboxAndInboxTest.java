package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.twostep.outbox.Builds.build;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OutboxAndInboxTest {

    @Inject
    EventStore store;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RecordingConsumer consumer;

    @Test
    void oneAggregatesEventsReachKafkaInSequenceOrderAcrossManyRelayBatches() {
        String prefix = "order-" + UUID.randomUUID();
        // 12 transactions of 50 events for each of two aggregates: 1,200 events, many relay batches of 100.
        for (int round = 0; round < 12; round++) {
            for (String aggregate : List.of(prefix + "-a", prefix + "-b")) {
                long expected = round * 50L;
                QuarkusTransaction.requiringNew().run(() -> store.append(aggregate, expected,
                        java.util.stream.IntStream.range(0, 50).mapToObj(i -> build(aggregate)).toList(),
                        EventMetadata.startedBy("test")));
            }
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(sequencesOnKafka(prefix + "-a")).hasSize(600));
        for (String aggregate : List.of(prefix + "-a", prefix + "-b")) {
            List<Long> sequences = sequencesOnKafka(aggregate);
            assertThat(sequences).as(aggregate).hasSize(600).isSorted().doesNotHaveDuplicates();
            assertThat(sequences.getFirst()).isEqualTo(1);
        }
    }

    @Test
    void twoConcurrentAppendsAtTheSameVersionLetOneWinAndWriteNothingForTheOther() throws Exception {
        String aggregate = "race-" + UUID.randomUUID();
        CountDownLatch bothInside = new CountDownLatch(2);
        List<CompletableFuture<Object>> writers = new ArrayList<>();
        // Two real threads: the common pool may have a single worker on a 2-core machine.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    QuarkusTransaction.requiringNew().run(() -> {
                        bothInside.countDown();
                        await().atMost(Duration.ofSeconds(10)).until(() -> bothInside.getCount() == 0);
                        store.append(aggregate, 0, List.of(build(aggregate), build(aggregate)),
                                EventMetadata.startedBy("writer"));
                    });
                    return "won";
                } catch (RuntimeException e) {
                    return e;
                }
            }, threads));
        }
        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<Object> writer : writers) {
            outcomes.add(writer.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        assertThat(outcomes).as(outcomes.toString()).filteredOn("won"::equals).hasSize(1);
        assertThat(outcomes).as(outcomes.toString()).filteredOn(o -> o instanceof ConcurrencyConflict).hasSize(1);
        assertThat(store.load(aggregate)).extracting(EventEnvelope::sequence).containsExactly(1L, 2L);
        assertThat(count("SELECT count(*) FROM event_store WHERE aggregate_id = ?",
                aggregate)).isEqualTo(2);
    }

    @Test
    void aStaleVersionIsAConflictAndTheTransactionWritesNothing() {
        String aggregate = "stale-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> store.append(aggregate, 0, List.of(build(aggregate)),
                EventMetadata.startedBy("first")));

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> store.append(aggregate, 0,
                List.of(build(aggregate), build(aggregate)), EventMetadata.startedBy("second"))))
                .isInstanceOf(ConcurrencyConflict.class);
        assertThat(store.load(aggregate)).hasSize(1);
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() throws SQLException {
        EventEnvelope event = Builds.envelope("twice-" + UUID.randomUUID());
        ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(event);
        KafkaProbe.send(record);
        KafkaProbe.send(record);
        EventEnvelope marker = Builds.envelope(event.subject());
        KafkaProbe.send(CloudEventCodec.toRecord(marker));

        // The marker comes after both copies on the same partition, so once it is applied both were seen.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", marker.id())).isEqualTo(1));
        assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", event.id())).isEqualTo(1);
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndThePartitionMovesOn() throws SQLException {
        String key = "poison-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.BUILD_EVENTS, key,
                "{not json".getBytes());
        garbage.headers().add("x-origin", "hostile-test".getBytes());
        KafkaProbe.send(garbage);
        EventEnvelope failing = Builds.envelope("explode");
        KafkaProbe.send(new ProducerRecord<>(Topics.BUILD_EVENTS, null, key,
                CloudEventCodec.toRecord(failing).value(), CloudEventCodec.toRecord(failing).headers()));
        EventEnvelope good = Builds.envelope(key);
        KafkaProbe.send(new ProducerRecord<>(Topics.BUILD_EVENTS, null, key,
                CloudEventCodec.toRecord(good).value(), CloudEventCodec.toRecord(good).headers()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", good.id())).isEqualTo(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = KafkaProbe.readAll(Topics.deadLetter(Topics.BUILD_EVENTS))
                    .stream().filter(r -> key.equals(r.key())).toList();
            assertThat(dead).hasSize(2);
            assertThat(KafkaProbe.header(dead.get(0), "dead-letter-reason")).contains("not a CloudEvent");
            assertThat(KafkaProbe.header(dead.get(0), "x-origin")).isEqualTo("hostile-test");
            assertThat(KafkaProbe.header(dead.get(1), "dead-letter-reason")).contains("this build always fails to apply");
            assertThat(KafkaProbe.header(dead.get(1), "ce_id")).isEqualTo(failing.id().toString());
        });
        assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", failing.id())).isZero();
    }

    @Test
    void aBatchAppliesEachGoodRecordOnceAndDeadLettersItsPoisonOneByOne() throws SQLException {
        String key = "batch-" + UUID.randomUUID();
        String topic = Topics.BUILD_EVENTS;
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(topic, key, "{not json".getBytes());
        garbage.headers().add("x-origin", "hostile-test".getBytes());
        EventEnvelope failing = Builds.envelope("explode");
        EventEnvelope first = Builds.envelope(key);
        EventEnvelope second = Builds.envelope(key);
        // One poll holds poison, an effect that always fails, and a duplicate: the shared transaction fails, and
        // record by record each good event is applied once while the two bad ones go to the DLQ with their reasons.
        // KafkaProbe sends one partition's records as one batch, which a consumer gets in one poll; the poll is
        // checked below, so the test cannot pass by applying the good records in polls of their own.
        KafkaProbe.send(onto(topic, key, first), garbage, onto(topic, key, failing), onto(topic, key, first),
                onto(topic, key, second));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", first.id())).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", second.id())).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = KafkaProbe.readAll(Topics.deadLetter(topic)).stream()
                    .filter(r -> key.equals(r.key())).toList();
            assertThat(dead).hasSize(2);
            assertThat(dead).anySatisfy(r -> {
                assertThat(KafkaProbe.header(r, "dead-letter-reason")).contains("not a CloudEvent");
                assertThat(KafkaProbe.header(r, "x-origin")).isEqualTo("hostile-test");
            });
            assertThat(dead).anySatisfy(r -> {
                assertThat(KafkaProbe.header(r, "dead-letter-reason")).contains("this build always fails to apply");
                assertThat(KafkaProbe.header(r, "ce_id")).isEqualTo(failing.id().toString());
            });
        });
        assertThat(count("SELECT count(*) FROM test_effect WHERE event_id = ?", failing.id())).isZero();
        List<String> together = Stream.of(first, failing, first, second).map(event -> event.id().toString())
                .toList();
        assertThat(consumer.polls()).as("the polls, by CloudEvent id")
                .anySatisfy(poll -> assertThat(poll).containsSubsequence(together));
    }

    private static ProducerRecord<String, byte[]> onto(String topic, String key, EventEnvelope event) {
        ProducerRecord<String, byte[]> encoded = CloudEventCodec.toRecord(event);
        return new ProducerRecord<>(topic, null, key, encoded.value(), encoded.headers());
    }

    private List<Long> sequencesOnKafka(String aggregate) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream()
                .filter(r -> aggregate.equals(r.key()))
                .map(r -> Long.parseLong(KafkaProbe.header(r, "ce_sequence")))
                .toList();
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
