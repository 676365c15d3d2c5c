package dev.twostep.releasecontroller;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.intake.HeldBackConsumers;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

/**
 * A replica that starts while the release topic already holds releases that its database does not (another
 * replica's, say, with the topic ahead of this read model): it must not serve flags before it has read them.
 */
@QuarkusTest
@TestProfile(SnapshotCatchUpTest.PrefilledTopic.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotCatchUpTest {

    static final int PREFILLED = 2_000;

    /** The real infrastructure, with {@value PREFILLED} releases of as many flags on the topic before the app starts. */
    public static class PrefilledReleaseTopic extends RealInfrastructure {

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, String> start() {
            String prefix = unique("prefilled") + "-";
            KafkaProbe.send(IntStream.range(0, PREFILLED).mapToObj(i -> released(prefix + i, 1, 100))
                    .toArray(ProducerRecord[]::new));
            Map<String, String> config = new HashMap<>(super.start());
            config.put("twostep.test.prefilled-prefix", prefix);
            return config;
        }
    }

    public static class PrefilledTopic implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldBackConsumers.class);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrefilledReleaseTopic.class));
        }
    }

    @Inject
    FlagSnapshot snapshot;
    @Inject
    HeldBackConsumers consumers;
    @ConfigProperty(name = "twostep.test.prefilled-prefix")
    String prefix;

    @Test
    @Order(1)
    void isNotReadyUntilItsSnapshotHoldsEveryReleaseThatWasOnTheTopicAtStart() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'flag-snapshot' }.status", equalTo("DOWN"));
        assertThat(prefilledFlags()).isZero();

        consumers.letThrough();

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertThat(prefilledFlags()).isEqualTo(PREFILLED);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("\ntwostep_flag_snapshot_lag_records 0.0\n"))
                .body(containsString("\ntwostep_flag_snapshot_age_seconds ")));
    }

    @Test
    @Order(2)
    void goesOnWhereItStoodAfterAnErrorRatherThanFromTheBeginning() {
        consumers.letThrough();
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        int opened = consumers.opened();

        consumers.failNextPoll();
        await().atMost(PATIENCE).until(() -> consumers.opened() > opened);
        String feature = unique("after-error");
        KafkaProbe.send(released(feature, 1, 50));

        await().atMost(PATIENCE).until(() -> snapshot.flag(feature).isPresent());
        assertThat(consumers.deliveredAfterError()).isNotEmpty().allSatisfy(delivered ->
                assertThat(delivered.offset()).isGreaterThanOrEqualTo(
                        consumers.positionsAtError().get(delivered.partition())));
        assertThat(prefilledFlags()).isEqualTo(PREFILLED);
    }

    private long prefilledFlags() {
        return snapshot.all().stream().filter(flag -> flag.key().startsWith(prefix)).count();
    }

    private static ProducerRecord<String, byte[]> released(String feature, long sequence, double percentage) {
        return CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), feature, sequence, Instant.now(), "story", null,
                "carol", null, new FeatureReleased(feature, "prod", new Audience(percentage, List.of()),
                Audience.NOBODY, "released on another replica", null, ReleaseEvent.FLAGD_FRACTIONAL_100K)));
    }
}
