package dev.twostep.artifactregistry.rest;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ArtefactRegistryTest {

    private static final String DIGEST_A = "sha256:" + "a".repeat(64);
    private static final String DIGEST_B = "sha256:" + "b".repeat(64);

    private static EventEnvelope buildOf(String app, String version, String digest, String commit) {
        BuildCompleted build = new BuildCompleted("b-" + UUID.randomUUID(), "jenkins", "https://ci/1",
                "https://git/shop", commit, "main", Outcome.SUCCEEDED, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:05:00Z"), List.of(
                new BuiltArtefact(app, version, digest, "pkg:oci/" + app, List.of("new-payment-form")),
                new BuiltArtefact(app + "-worker", version, digest, "pkg:oci/" + app + "-worker", List.of())));
        return new EventEnvelope(UUID.randomUUID(), "/twostep/build-service", build.buildId(), 1, Instant.now(),
                "story-" + UUID.randomUUID(), null, "ci:jenkins", null, build);
    }

    @Test
    void aSuccessfulBuildPublishesEachArtefactOnceInTheBuildsStory() {
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope build = buildOf(app, "1.4.0", DIGEST_A, "abcdef12");
        KafkaProbe.send(CloudEventCodec.toRecord(build));
        KafkaProbe.send(CloudEventCodec.toRecord(build));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(eventsFor(app)).hasSize(2));
        for (ConsumerRecord<String, byte[]> record : eventsFor(app)) {
            assertThat(KafkaProbe.header(record, "ce_type")).isEqualTo("dev.twostep.artefact.published.v1");
            assertThat(KafkaProbe.header(record, "ce_correlationid")).isEqualTo(build.correlationId());
            assertThat(KafkaProbe.header(record, "ce_causationid")).isEqualTo(build.id().toString());
        }
        given().when().get("/artefacts/{name}/versions/1.4.0", app).then().statusCode(200)
                .body("digest", equalTo(DIGEST_A))
                .body("provenance.buildId", equalTo(((BuildCompleted) build.data()).buildId()))
                .body("provenance.commit", equalTo("abcdef12"))
                .body("features", contains("new-payment-form"))
                .body("status", equalTo("PUBLISHED"));
        given().queryParam("commit", "ABCDEF12").when().get("/artefacts").then().statusCode(200)
                .body("name", hasItem(app + "-worker"));
        given().accept("application/vnd.in-toto+json").when().get("/artefacts/{name}/versions/1.4.0/provenance", app)
                .then().statusCode(200).contentType("application/vnd.in-toto+json")
                .body("_type", equalTo("https://in-toto.io/Statement/v1"))
                .body("subject[0].digest.sha256", equalTo("a".repeat(64)))
                .body("predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit", equalTo("abcdef12"))
                .body("predicate.runDetails.metadata.invocationId", equalTo("https://ci/1"));
        given().when().get("/artefacts/{name}/versions/9.9.9/provenance", app).then().statusCode(404);
    }

    @Test
    void aBuildThatReusesAVersionWithAnotherDigestIsRejectedAndRecorded() {
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProbe.send(CloudEventCodec.toRecord(buildOf(app, "2.0.0", DIGEST_A, "abcdef12")));
        KafkaProbe.send(CloudEventCodec.toRecord(buildOf(app, "2.0.0", DIGEST_B, "abcdef13")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(eventsFor(app))
                .extracting(r -> KafkaProbe.header(r, "ce_type"))
                .containsExactlyInAnyOrder("dev.twostep.artefact.published.v1", "dev.twostep.artefact.published.v1",
                        "dev.twostep.artefact.rejected.v1", "dev.twostep.artefact.rejected.v1"));
        given().when().get("/artefacts/{name}/versions/2.0.0", app).then().body("digest", equalTo(DIGEST_A));
    }

    @Test
    void aDirectPublishIsCreatedOnceConflictsOnAnotherDigestAndCanBeRevoked() {
        String app = "direct-" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                {"name":"%s","version":"%s","digest":"%s","uri":"pkg:oci/%s","repository":"https://git/x",
                 "commit":"1234567","features":["f1"]}""";
        given().contentType(ContentType.JSON).body(body.formatted(app, "1.2.0", DIGEST_A, app))
                .when().post("/artefacts").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body.formatted(app, "1.2.0", DIGEST_A, app))
                .when().post("/artefacts").then().statusCode(200);
        given().contentType(ContentType.JSON).body(body.formatted(app, "1.2.0", DIGEST_B, app))
                .when().post("/artefacts").then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(body.formatted(app, "1.10.0", DIGEST_B, app))
                .when().post("/artefacts").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body.formatted(app, "1.10.0-rc.1", DIGEST_B, app))
                .when().post("/artefacts").then().statusCode(201);

        given().when().get("/artefacts/{name}/versions", app).then().statusCode(200)
                .body("version", contains("1.10.0", "1.10.0-rc.1", "1.2.0"));

        given().contentType(ContentType.JSON).body("{\"reason\":\"CVE-2026-1\"}")
                .when().post("/artefacts/{name}/versions/1.2.0/revoke", app).then().statusCode(200)
                .body("status", equalTo("REVOKED")).body("revokedReason", equalTo("CVE-2026-1"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .when().post("/artefacts/nope/versions/1/revoke").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/artefacts/{name}/versions/1.2.0/revoke", app).then().statusCode(400)
                .body("violations.field", hasItem("reason"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(eventsFor(app))
                .extracting(r -> KafkaProbe.header(r, "ce_type"))
                .containsExactlyInAnyOrder("dev.twostep.artefact.published.v1", "dev.twostep.artefact.rejected.v1",
                        "dev.twostep.artefact.published.v1", "dev.twostep.artefact.published.v1",
                        "dev.twostep.artefact.revoked.v1"));
    }

    @Test
    void badDirectPublishesAre400sThatNameTheField() {
        given().contentType(ContentType.JSON).body("""
                {"name":"x","version":"1","digest":"md5:abc","uri":"u","repository":"r","commit":"1234567"}""")
                .when().post("/artefacts").then().statusCode(400).body("violations.field", hasItem("digest"));
        given().contentType(ContentType.JSON).body("""
                {"name":"x","version":"1","digest":"%s","uri":"u","repository":"r"}""".formatted(DIGEST_A))
                .when().post("/artefacts").then().statusCode(400).body("violations.field", hasItem("commit"));
        given().when().get("/artefacts").then().statusCode(400).body("violations.field", hasItem("commit"));
    }

    @Test
    void theReadModelRebuiltFromTheEventLogGivesTheSameAnswers() {
        String app = "rebuild-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProbe.send(CloudEventCodec.toRecord(buildOf(app, "3.0.0", DIGEST_A, "abcdef99")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/artefacts/{name}/versions/3.0.0", app).then().statusCode(200));
        given().contentType(ContentType.JSON).body("{\"reason\":\"bad\"}")
                .post("/artefacts/{name}/versions/3.0.0/revoke", app).then().statusCode(200);
        String before = given().when().get("/artefacts?commit=abcdef99").then().extract().asString();

        given().when().post("/admin/read-model/rebuild").then().statusCode(200);

        assertThat(given().when().get("/artefacts?commit=abcdef99").then().extract().asString()).isEqualTo(before);
        given().when().get("/artefacts/{name}/versions/3.0.0", app).then().body("status", equalTo("REVOKED"));
    }

    private static List<ConsumerRecord<String, byte[]>> eventsFor(String app) {
        return KafkaProbe.readAll(Topics.ARTEFACT_EVENTS).stream()
                .filter(r -> r.key() != null && r.key().startsWith(app)).toList();
    }
}
