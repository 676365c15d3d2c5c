package dev.twostep.releasecontroller;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class FeatureDefinitionTest {

    @Test
    void featuresOfAPublishedArtefactAreDefinedOnceEvenWhenTheyComeAgain() {
        String feature = "feature-" + UUID.randomUUID().toString().substring(0, 8);
        for (String version : List.of("1.0.0", "1.1.0")) {
            ArtefactPublished published = new ArtefactPublished("checkout", version, "sha256:" + "a".repeat(64),
                    "pkg:oci/checkout", "b-1", null, "https://git/r", "abcdef1", List.of(feature),
                    Instant.parse("2026-01-01T00:00:00Z"));
            KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/artifact-registry",
                    published.aggregateId(), 1, Instant.now(), "story-1", null, "artifact-registry", null, published)));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/features/" + feature).then().statusCode(200)
                        .body("application", equalTo("checkout")));
        given().contentType(ContentType.JSON).body("{\"description\":\"One click\"}")
                .put("/features/" + feature).then().statusCode(200).body("description", equalTo("One click"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(KafkaProbe.readAll(Topics.RELEASE_EVENTS))
                .filteredOn(r -> feature.equals(r.key()))
                .extracting(r -> KafkaProbe.header(r, "ce_correlationid"))
                .containsExactly("story-1", KafkaProbe.readAll(Topics.RELEASE_EVENTS).stream()
                        .filter(r -> feature.equals(r.key())).skip(1).findFirst()
                        .map(r -> KafkaProbe.header(r, "ce_correlationid")).orElse("missing")));
    }

    @Test
    void aBadFeatureKeyIsA400() {
        given().contentType(ContentType.JSON).body("{}").put("/features/bad key!").then().statusCode(400);
        given().when().get("/features/never-defined").then().statusCode(404);
    }
}
