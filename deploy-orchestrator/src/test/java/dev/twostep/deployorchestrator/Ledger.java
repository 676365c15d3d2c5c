package dev.twostep.deployorchestrator;

import dev.twostep.deployorchestrator.view.KnownArtefactRepository;
import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RelayDrain;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the tests look at from outside the API: artefacts arriving on the artefact topic, and what
 * one application left in the database and on the deployment topic.
 */
@ApplicationScoped
public class Ledger {

    public static final String DIGEST_1 = "sha256:" + "1".repeat(64);
    public static final String DIGEST_2 = "sha256:" + "2".repeat(64);

    private final AgroalDataSource dataSource;
    private final KnownArtefactRepository known;

    Ledger(AgroalDataSource dataSource, KnownArtefactRepository known) {
        this.dataSource = dataSource;
        this.known = known;
    }

    /** Publishes the artefact the way the artifact-registry does, in a build's story, and waits until it is known. */
    public EventEnvelope publish(String application, String version, String digest, String uri) {
        ArtefactPublished published = new ArtefactPublished(application, version, digest, uri,
                "build-" + version, "https://ci.example.com/runs/1", "https://git.example.com/shop", "c0ffee" + version.replace(".", ""),
                List.of(), Instant.parse("2026-11-20T10:00:00Z"));
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), "/twostep/artifact-registry",
                published.aggregateId(), 1, Instant.now(), "build-story-" + UUID.randomUUID(), UUID.randomUUID().toString(),
                "artifact-registry", null, published);
        KafkaProbe.send(CloudEventCodec.toRecord(envelope));
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> known.find(application, version).isPresent()));
        return envelope;
    }

    public EventEnvelope publish(String application, String version) {
        return publish(application, version, version.endsWith("1.0.0") ? DIGEST_1 : DIGEST_2, "pkg:oci/" + application);
    }

    public void revoke(String application, String version) {
        ArtefactRevoked revoked = new ArtefactRevoked(application, version, "CVE-2026-4711");
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/artifact-registry",
                ArtefactEvent.aggregateId(application, version), 2, Instant.now(), null, null, "publisher", null, revoked)));
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> known.find(application, version).orElseThrow().revoked));
    }

    /** Everything one application left behind: stored events, rows, and events on the topic. */
    public record Trace(long storedEvents, long rows, long publishedEvents) {
    }

    /** Waits until the outbox has published everything, then takes the application's trace. */
    public Trace trace(String application) {
        RelayDrain.awaitPublished(dataSource);
        return new Trace(
                count("SELECT count(*) FROM event_store WHERE data->>'application' = ?", application),
                count("SELECT count(*) FROM deployment WHERE application = ?", application)
                        + count("SELECT count(*) FROM approval WHERE application = ?", application)
                        + count("SELECT count(*) FROM inventory WHERE application = ?", application),
                publishedOf(application).size());
    }

    public void assertNothingWritten(String application, Trace before) {
        assertThat(trace(application)).as("a refused request writes nothing").isEqualTo(before);
    }

    /** The application's events on the deployment topic, decoded, in offset order per partition. */
    public static List<Published> publishedOf(String application) {
        return KafkaProbe.readAll(Topics.DEPLOYMENT_EVENTS).stream()
                .map(record -> new Published(record, CloudEventCodec.fromRecord(record)))
                .filter(p -> application.equals(applicationOf(p.envelope().data())))
                .toList();
    }

    public record Published(ConsumerRecord<String, byte[]> record, EventEnvelope envelope) {
    }

    private static String applicationOf(Object event) {
        return switch (event) {
            case DeploymentEvent.DeploymentRequested e -> e.application();
            case DeploymentEvent.DeploymentStarted e -> e.application();
            case DeploymentEvent.DeploymentSucceeded e -> e.application();
            case DeploymentEvent.DeploymentFailed e -> e.application();
            case DeploymentEvent.DeploymentRolledBack e -> e.application();
            case DeploymentEvent.PromotionApproved e -> e.application();
            default -> null;
        };
    }

    private long count(String sql, String... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
