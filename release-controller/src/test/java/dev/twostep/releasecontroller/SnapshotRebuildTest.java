package dev.twostep.releasecontroller;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.service.ReleaseProjection;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.ofrep;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class SnapshotRebuildTest {

    @Inject
    FlagSnapshot live;
    @Inject
    ReleaseProjection projection;

    @Test
    void aSnapshotRebuiltFromTheReadModelEqualsTheLiveOneAndTheReadModelRebuildsFromTheEventStore() {
        String feature = shopRunning("prod", "staging").feature();
        audience(feature, "prod", "{\"percentage\": 12.5, \"users\": [\"alice\"], \"reason\": \"some\"}");
        audience(feature, "staging", "{\"percentage\": 100, \"reason\": \"all\"}");

        FlagSnapshot rebuilt = new FlagSnapshot();
        projection.fill(rebuilt);
        assertThat(rebuilt.flag(feature)).isPresent().isEqualTo(live.flag(feature));
        assertThat(rebuilt.flag(feature).orElseThrow().environments()).containsOnlyKeys("prod", "staging");

        String before = given().get("/features/{key}", feature).then().statusCode(200).extract().asString();
        given().post("/admin/read-model/rebuild").then().statusCode(200);
        assertThat(given().get("/features/{key}", feature).then().statusCode(200).extract().asString())
                .isEqualTo(before);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("flag-snapshot"))
                .body("checks.find { it.name == 'flag-snapshot' }.status", equalTo("UP"));
    }

    @Test
    void aReleaseAnotherReplicaCommittedReachesThisSnapshotFromTheTopic() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 0, \"users\": [\"alice\"], \"reason\": \"staff\"}");
        long sequence = live.flag(feature).orElseThrow().environments().get("prod").sequence();

        // Another replica appended and published this; this replica's database never saw it.
        FeatureReleased elsewhere = new FeatureReleased(feature, "prod", new Audience(100, List.of()),
                new Audience(0, List.of("alice")), "everyone", null, ReleaseEvent.FLAGD_FRACTIONAL_100K);
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), feature, sequence + 1, Instant.now(), "story", null,
                "carol", null, elsewhere)));

        await().atMost(PATIENCE).untilAsserted(() -> ofrep("{\"context\": {\"environment\": \"prod\", "
                + "\"targetingKey\": \"bob\"}}").post("/ofrep/v1/evaluate/flags/{key}", feature).then()
                .statusCode(200).body("value", equalTo(true)).body("metadata.sequence", equalTo((int) sequence + 1)));

        // A late repeat of an older release changes nothing: the snapshot keeps the newest.
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), feature, sequence, Instant.now(), "story", null,
                "carol", null, new FeatureReleased(feature, "prod", Audience.NOBODY, Audience.NOBODY, "old", null,
                ReleaseEvent.FLAGD_FRACTIONAL_100K))));
        // Then a newer release in staging, on the same key and so the same partition, after the stale one.
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), feature, sequence + 2, Instant.now(), "story", null,
                "carol", null, new FeatureReleased(feature, "staging", new Audience(5, List.of()), Audience.NOBODY,
                "canary", null, ReleaseEvent.FLAGD_FRACTIONAL_100K))));
        await().atMost(PATIENCE).until(() -> live.flag(feature).orElseThrow().environments().containsKey("staging"));
        assertThat(live.flag(feature).orElseThrow().environments().get("prod").sequence()).isEqualTo(sequence + 1);
    }
}
