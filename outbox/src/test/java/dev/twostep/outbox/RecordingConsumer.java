package dev.twostep.outbox;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Applies each consumed build event as one {@code test_effect} row; a build id "explode" always fails. It remembers
 * which event ids came in each poll, so that a test can show that records it meant to arrive together did.
 */
@ApplicationScoped
class RecordingConsumer {

    private final EventIntake intake;
    private final AgroalDataSource dataSource;
    private final Queue<List<String>> polls = new ConcurrentLinkedQueue<>();

    RecordingConsumer(EventIntake intake, AgroalDataSource dataSource) {
        this.intake = intake;
        this.dataSource = dataSource;
    }

    @Incoming("test-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<String> ids = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            Header id = message.getHeaders().lastHeader("ce_id");
            if (id != null) {
                ids.add(new String(id.value(), StandardCharsets.UTF_8));
            }
        }
        polls.add(List.copyOf(ids));
        return intake.accept(batch, EventHandlers.on(BuildCompleted.class, this::apply));
    }

    /** The CloudEvent ids of each poll so far, in the order the polls came. */
    List<List<String>> polls() {
        return List.copyOf(polls);
    }

    private void apply(BuildCompleted build, EventEnvelope event) {
        if (build.buildId().equals("explode")) {
            throw new IllegalStateException("this build always fails to apply");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO test_effect (event_id, build_id) VALUES (?, ?)")) {
            insert.setObject(1, event.id());
            insert.setString(2, build.buildId());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
