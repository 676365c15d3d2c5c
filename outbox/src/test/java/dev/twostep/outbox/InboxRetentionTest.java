package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inbox forgets what is older than its retention (14 days by default) and still recognises what is not. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class InboxRetentionTest {

    @Inject
    InboxRetention retention;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void entriesPastTheRetentionAreForgottenAndARedeliveryInsideItStillChangesNothing() throws SQLException {
        EventEnvelope recent = Builds.envelope("recent-" + UUID.randomUUID());
        KafkaProbe.send(CloudEventCodec.toRecord(recent));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("test_effect", recent.id()) == 1);
        // 25,000 entries from a month ago: more than two chunks of the purge.
        execute("INSERT INTO processed_event (event_id, type, processed_at) SELECT gen_random_uuid(), 'old', "
                + "now() - interval '30 days' FROM generate_series(1, 25000)");
        execute("UPDATE processed_event SET processed_at = now() - interval '13 days' WHERE event_id = '"
                + recent.id() + "'");

        assertThat(retention.forgetExpired()).hasValue(25_000);

        assertThat(queryLong("SELECT count(*) FROM processed_event WHERE processed_at < now() - interval '14 days'"))
                .isZero();
        assertThat(count("processed_event", recent.id())).as("13 days old: inside the window").isEqualTo(1);
        KafkaProbe.send(CloudEventCodec.toRecord(recent));
        EventEnvelope marker = Builds.envelope(recent.subject());
        KafkaProbe.send(CloudEventCodec.toRecord(marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("test_effect", marker.id()) == 1);
        assertThat(count("test_effect", recent.id())).as("the redelivery inside the window changed nothing")
                .isEqualTo(1);
    }

    private long count(String table, UUID eventId) throws SQLException {
        return queryLong("SELECT count(*) FROM " + table + " WHERE event_id = '" + eventId + "'");
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
