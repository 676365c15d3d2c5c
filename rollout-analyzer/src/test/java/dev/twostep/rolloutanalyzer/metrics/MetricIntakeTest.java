package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class MetricIntakeTest {

    private static String sample(String id, String feature, String variant, long requests, long errors) {
        return """
                {"sampleId":"%s","application":"checkout","environment":"prod","featureKey":"%s","variant":"%s",
                 "windowStart":"2026-11-20T11:00:00Z","windowEnd":"2026-11-20T11:00:10Z","requests":%d,"errors":%d}"""
                .formatted(id, feature, variant, requests, errors);
    }

    @Test
    void aRepeatedBatchIsCountedOnce() {
        String feature = "f-" + UUID.randomUUID();
        String batch = "{\"samples\":[" + sample("s1-" + feature, feature, "on", 100, 2) + ","
                + sample("s2-" + feature, feature, "off", 900, 9) + "]}";
        given().contentType(ContentType.JSON).body(batch).post("/metrics").then().statusCode(202)
                .body("added", equalTo(2));
        given().contentType(ContentType.JSON).body(batch).post("/metrics").then().statusCode(202)
                .body("added", equalTo(0));

        given().queryParam("featureKey", feature).queryParam("environment", "prod").get("/metrics/totals")
                .then().body("onRequests", equalTo(100)).body("offErrors", equalTo(9));
    }

    @Test
    void badSamplesAreRefusedWholeAndNeverCounted() {
        String feature = "bad-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"samples\":[" + sample("ok-" + feature, feature, "on", 10, 1) + ","
                        + sample("x-" + feature, feature, "on", 10, 11) + "]}")
                .post("/metrics").then().statusCode(400).body("violations.field", hasItem("samples[1].errors"));
        given().contentType(ContentType.JSON).body("{\"samples\":[" + sample("n-" + feature, feature, "on", -1, 0) + "]}")
                .post("/metrics").then().statusCode(400).body("violations.field", hasItem("samples[0].requests"));
        given().contentType(ContentType.JSON).body("{\"samples\":[" + sample("v-" + feature, feature, "maybe", 1, 0) + "]}")
                .post("/metrics").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"samples\":[" + sample("w-" + feature, feature, "on", 1, 0)
                        .replace("11:00:10Z", "10:59:00Z") + "]}")
                .post("/metrics").then().statusCode(400).body("violations.field", hasItem("samples[0].windowEnd"));

        given().queryParam("featureKey", feature).queryParam("environment", "prod").get("/metrics/totals")
                .then().body("onRequests", equalTo(0));
    }

    @Test
    void samplesOnTheTopicAreCountedOnceAndInvalidOnesGoToTheDeadLetterTopic() {
        String feature = "topic-" + UUID.randomUUID();
        MetricSampleRecorded sample = new MetricSampleRecorded("k-" + feature, "checkout", "prod", feature, Variant.on,
                Instant.parse("2026-11-20T11:00:00Z"), Instant.parse("2026-11-20T11:00:10Z"), 50, 1);
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), "/twostep/simulator", feature, 1, Instant.now(),
                null, null, "simulator", null, sample);
        ProducerRecord<String, byte[]> good = CloudEventCodec.toRecord(envelope);
        KafkaProbe.send(good);
        KafkaProbe.send(good);
        ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topics.METRICS, null, feature,
                new String(good.value(), StandardCharsets.UTF_8).replace("\"errors\":1", "\"errors\":99")
                        .getBytes(StandardCharsets.UTF_8), good.headers());
        KafkaProbe.send(bad);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                KafkaProbe.readAll(Topics.deadLetter(Topics.METRICS))).anySatisfy(dead -> {
                    assertThat(dead.key()).isEqualTo(feature);
                    assertThat(KafkaProbe.header(dead, "dead-letter-reason")).contains("errors must not exceed requests");
                }));
        given().queryParam("featureKey", feature).queryParam("environment", "prod").get("/metrics/totals")
                .then().body("onRequests", equalTo(50)).body("onErrors", equalTo(1));
    }
}
