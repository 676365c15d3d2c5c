package dev.twostep.outbox;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;

/** Applies each consumed build event as one {@code test_effect} row; a build id "explode" always fails. */
@ApplicationScoped
class RecordingConsumer {

    private final EventIntake intake;
    private final AgroalDataSource dataSource;

    RecordingConsumer(EventIntake intake, AgroalDataSource dataSource) {
        this.intake = intake;
        this.dataSource = dataSource;
    }

    @Incoming("test-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, this::apply);
    }

    private void apply(EventEnvelope event) {
        BuildCompleted build = (BuildCompleted) event.data();
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
