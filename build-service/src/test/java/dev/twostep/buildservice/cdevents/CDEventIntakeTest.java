package dev.twostep.buildservice.cdevents;

import dev.cdevents.CDEvents;
import dev.cdevents.events.ArtifactPackagedCDEvent;
import dev.cdevents.events.BuildFinishedCDEvent;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.RelayDrain;
import io.agroal.api.AgroalDataSource;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** CDEvents from the official SDK and from stored v0.5.1 samples, in both HTTP modes, on the real broker. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class CDEventIntakeTest {

    private static final String COMMIT = "4f1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    private static final String REPOSITORY = "https://github.com/acme/checkout";

    private final String digest = "sha256:" + HexFormat.of().formatHex(randomBytes());
    private final String purl = "pkg:oci/checkout@" + digest.replace(":", "%3A") + "?tag=1.4.0";
    private final String buildId = "cd-" + UUID.randomUUID();

    @Inject
    AgroalDataSource dataSource;

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static ValidatableResponse post(CloudEvent event, boolean structured) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[][] body = new byte[1][];
        var writer = HttpMessageFactory.createWriter(headers::put, bytes -> body[0] = bytes);
        if (structured) {
            writer.writeStructured(event, JsonFormat.CONTENT_TYPE);
        } else {
            writer.writeBinary(event);
        }
        return given().config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .headers(headers).body(body[0]).post("/cdevents").then();
    }

    private CloudEvent sdkBuildFinished() {
        BuildFinishedCDEvent finished = new BuildFinishedCDEvent();
        finished.setSource(URI.create("https://ci.example.com"));
        finished.setSubjectId(buildId);
        finished.setSubjectSource(URI.create("https://ci.example.com/job/checkout/42"));
        finished.setSubjectArtifactId(purl);
        return CDEvents.cdEventAsCloudEvent(finished);
    }

    private CloudEvent sdkArtifactPackaged() {
        ArtifactPackagedCDEvent packaged = new ArtifactPackagedCDEvent();
        packaged.setSource(URI.create("https://ci.example.com"));
        packaged.setSubjectId(purl);
        packaged.setSubjectSource(URI.create("https://ci.example.com/job/checkout/42"));
        packaged.setSubjectChangeId(COMMIT);
        packaged.setSubjectChangeSource(REPOSITORY);
        packaged.setCustomData(Map.of("features", List.of("new-payment-form", "one-click-reorder")));
        packaged.setCustomDataContentType("application/json");
        return CDEvents.cdEventAsCloudEvent(packaged);
    }

    /** A stored sample, with this test's build id and purl, wrapped as a CloudEvent. */
    private CloudEvent sample(String file) {
        try (InputStream in = getClass().getResourceAsStream("/cdevents/v0.5.1/" + file)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("BUILD_ID", buildId).replace("PURL", purl);
            String type = json.contains("build.finished") ? "dev.cdevents.build.finished.0.3.0"
                    : "dev.cdevents.artifact.packaged.0.3.0";
            return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/event/source/123"))
                    .withType(type).withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The records on the build topic once the relay has published every stored event: read at once, the end offsets
     * would miss an event that a request had just appended, so a check that it appended none could not fail.
     */
    private long publishedBuildEvents() {
        RelayDrain.awaitPublished(dataSource);
        return KafkaProbe.endOffsetSum(Topics.BUILD_EVENTS);
    }

    private static ConsumerRecord<String, byte[]> completed(String buildId) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream().filter(r -> buildId.equals(r.key()))
                .findFirst().orElseThrow();
    }

    private static BuildCompleted awaitBuild(String buildId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> KafkaProbe.readAll(Topics.BUILD_EVENTS).stream()
                .anyMatch(r -> buildId.equals(r.key())));
        return (BuildCompleted) CloudEventCodec.fromRecord(completed(buildId)).data();
    }

    @ParameterizedTest(name = "structured mode: {0}")
    @ValueSource(booleans = {false, true})
    void theSdksPackagedArtefactAndFinishedBuildMakeTheSameArtefactsAsTheJsonPost(boolean structured) {
        post(sdkArtifactPackaged(), structured).statusCode(202).body("status", equalTo("waiting-for-build"));
        post(sdkBuildFinished(), structured).statusCode(202).body("status", equalTo("recorded"))
                .body("buildId", equalTo(buildId));

        String jsonBuildId = "json-" + buildId;
        given().contentType(ContentType.JSON).body("""
                {"buildId":"%s","ciSystem":"jenkins","runUrl":"https://ci.example.com/job/checkout/42",
                 "repository":"%s","commit":"%s","outcome":"SUCCEEDED",
                 "startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                 "artefacts":[{"name":"checkout","version":"1.4.0","digest":"%s","uri":"%s",
                   "features":["new-payment-form","one-click-reorder"]}]}"""
                .formatted(jsonBuildId, REPOSITORY, COMMIT, digest, purl)).post("/builds").then().statusCode(201);

        BuildCompleted fromCDEvents = awaitBuild(buildId);
        BuildCompleted fromJson = awaitBuild(jsonBuildId);
        assertThat(fromCDEvents.artefacts()).isEqualTo(fromJson.artefacts())
                .containsExactly(new BuiltArtefact("checkout", "1.4.0", digest, purl,
                        List.of("new-payment-form", "one-click-reorder")));
        assertThat(fromCDEvents.commit()).isEqualTo(fromJson.commit());
        assertThat(fromCDEvents.repository()).isEqualTo(fromJson.repository());
        given().get("/builds/{id}", buildId).then().statusCode(200).body("ciSystem", equalTo("cdevents"));

        // a CI that sends its events again changes nothing
        long before = publishedBuildEvents();
        post(sdkBuildFinished(), structured).statusCode(202).body("status", equalTo("already-recorded"));
        assertThat(publishedBuildEvents()).isEqualTo(before);
    }

    @Test
    void storedV051SamplesJoinInEitherOrderAndKeepTheChainIdAsCorrelation() {
        post(sample("build_finished.json"), false).statusCode(202).body("status", equalTo("waiting-for-packaging"));
        post(sample("artifact_packaged.json"), true).statusCode(202).body("status", equalTo("recorded"));

        BuildCompleted build = awaitBuild(buildId);
        assertThat(build.artefacts()).singleElement().satisfies(artefact -> {
            assertThat(artefact.digest()).isEqualTo(digest);
            assertThat(artefact.features()).containsExactly("new-payment-form");
        });
        assertThat(KafkaProbe.header(completed(buildId), "ce_correlationid"))
                .isEqualTo("4c8cb7dd-3448-41de-8768-eec704e2829b");
    }

    /** Both halves at the same moment: the second waits for the first's row, and the build is recorded once. */
    @Test
    void bothHalvesArrivingTogetherRecordTheBuildOnce() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<String> packaged = senders.submit(() -> {
                start.await();
                return post(sdkArtifactPackaged(), false).statusCode(202).extract().<String>path("status");
            });
            Future<String> finished = senders.submit(() -> {
                start.await();
                return post(sdkBuildFinished(), true).statusCode(202).extract().<String>path("status");
            });
            start.countDown();
            List<String> statuses = List.of(packaged.get(30, TimeUnit.SECONDS), finished.get(30, TimeUnit.SECONDS));
            // whichever came second completed the build; the first waited for it
            assertThat(statuses).containsOnlyOnce("recorded")
                    .anySatisfy(status -> assertThat(status).startsWith("waiting-for-"));
        } finally {
            senders.shutdownNow();
        }
        assertThat(awaitBuild(buildId).artefacts()).singleElement()
                .satisfies(artefact -> assertThat(artefact.digest()).isEqualTo(digest));
        RelayDrain.awaitPublished(dataSource);
        assertThat(KafkaProbe.readAll(Topics.BUILD_EVENTS).stream().filter(r -> buildId.equals(r.key())))
                .hasSize(1);
    }

    @Test
    void aWellFormedCDEventOfAnotherTypeIsAcceptedAndIgnored() {
        long before = publishedBuildEvents();
        CloudEvent deployed = CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
                .withSource(URI.create("/event/source/123")).withType("dev.cdevents.service.deployed.0.3.0")
                .withData("application/json", "{\"context\":{},\"subject\":{}}".getBytes(StandardCharsets.UTF_8))
                .build();
        post(deployed, false).statusCode(202).body("status", equalTo("ignored"));
        assertThat(publishedBuildEvents()).isEqualTo(before);
        given().get("/q/metrics").then().body(containsString(
                "twostep_cdevents_received_total{status=\"ignored\",type=\"dev.cdevents.service.deployed.0.3.0\"}"));
    }

    /** Each bad input is a 400 naming the field, and nothing is written. */
    @Test
    void badInputIsRefusedWithTheFieldAndWritesNothing() {
        long before = publishedBuildEvents();
        String packaged = new String(sample("artifact_packaged.json").getData().toBytes(), StandardCharsets.UTF_8);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("type", packaged.replace("artifact.packaged.0.3.0", "artifact.packaged.0.9.0"));
        cases.put("subject.id", packaged.replace(purl, "pkg:golang/mygit.com/myorg/myapp@234fd47e07d1004f0aed9c"));
        cases.put("subject.content.change.id", packaged.replace(COMMIT, "myChange123"));
        cases.put("subject.content.change", packaged.replaceAll("\"change\": \\{[^}]*},", ""));
        cases.put("context.timestamp", packaged.replace("2023-03-20T14:26:05.315384Z", "yesterday"));
        cases.put("customData.features[0]", packaged.replace("\"new-payment-form\"", "\"has spaces\""));
        cases.put("data", packaged.substring(0, packaged.length() / 2));
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            String type = bad.getKey().equals("type") ? "dev.cdevents.artifact.packaged.0.9.0"
                    : "dev.cdevents.artifact.packaged.0.3.0";
            CloudEvent event = CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
                    .withSource(URI.create("/event/source/123")).withType(type)
                    .withData("application/json", bad.getValue().getBytes(StandardCharsets.UTF_8)).build();
            post(event, false).statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo(bad.getKey()));
        }
        // not a CloudEvent at all: no ce-* headers and not the structured content type
        given().contentType(ContentType.JSON).body(packaged).post("/cdevents").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("ce-specversion"));

        assertThat(publishedBuildEvents()).isEqualTo(before);
        given().get("/builds/{id}", buildId).then().statusCode(404);
    }
}
