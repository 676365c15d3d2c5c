package dev.twostep.releasecontroller;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Puts other services' facts on their topics and reads this service's facts back from its own. */
final class TopicFixtures {

    private TopicFixtures() {
    }

    static final Duration PATIENCE = Duration.ofSeconds(30);

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static EventEnvelope send(String source, TwostepEvent event) {
        EventEnvelope envelope = envelope(source, event);
        KafkaProbe.send(CloudEventCodec.toRecord(envelope));
        return envelope;
    }

    static EventEnvelope envelope(String source, TwostepEvent event) {
        return new EventEnvelope(UUID.randomUUID(), source, event.aggregateId(), 1, Instant.now(),
                "story-" + UUID.randomUUID(), null, "test", null, event);
    }

    /** Publishes {@code application@version} containing the features, and waits until it is known. */
    static void published(String application, String version, String... features) {
        send("/twostep/artifact-registry", new ArtefactPublished(application, version, "sha256:" + "a".repeat(64),
                "pkg:oci/" + application, "b-1", null, "https://git/shop", "abcdef1", Arrays.asList(features),
                Instant.parse("2026-01-01T00:00:00Z")));
        for (String feature : features) {
            await().atMost(PATIENCE).untilAsserted(() ->
                    given().get("/features/{key}", feature).then().statusCode(200));
        }
    }

    /** An application with one feature, published as 1.0.0 and running in the environments. */
    record Shop(String application, String feature) {
    }

    static Shop shopRunning(String... environments) {
        Shop shop = new Shop(unique("shop"), unique("feature"));
        published(shop.application(), "1.0.0", shop.feature());
        for (String environment : environments) {
            deployed(shop.application(), "1.0.0", environment, shop.feature());
        }
        return shop;
    }

    static EventEnvelope deploySucceeded(String application, String version, String environment) {
        return send("/twostep/deploy-orchestrator", new DeploymentSucceeded("dep-" + UUID.randomUUID(), application,
                version, environment, "sha256:" + "a".repeat(64), "abcdef1", null));
    }

    /** Deploys and waits until the feature's code is seen running there. */
    static EventEnvelope deployed(String application, String version, String environment, String feature) {
        EventEnvelope deployment = deploySucceeded(application, version, environment);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/features/{key}", feature).then()
                .body("environments.find { it.environment == '" + environment + "' }.deployedVersions.version",
                        hasItem(version)));
        return deployment;
    }

    static RequestSpecification json(String body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    /** An API key that may evaluate flags in {@code environments}, issued by the operator. */
    static String apiKey(String... environments) {
        return json("{\"name\": \"tests\", \"environments\": [\"" + String.join("\", \"", environments) + "\"]}")
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }

    /** An OFREP request as an application sends it, with a key for prod and staging (so it names its environment). */
    static RequestSpecification ofrep(String body) {
        return json(body).header("X-API-Key", apiKey("prod", "staging"));
    }

    static void audience(String feature, String environment, String body) {
        json(body).put("/features/{key}/environments/{env}/audience", feature, environment).then().statusCode(200);
    }

    /** This service's events about one feature or rollout, decoded, in the order it published them. */
    static List<ReleaseEvent> releaseEvents(String aggregateId) {
        return KafkaProbe.readAll(Topics.RELEASE_EVENTS).stream().filter(r -> aggregateId.equals(r.key()))
                .map(CloudEventCodec::fromRecord).map(e -> (ReleaseEvent) e.data()).toList();
    }

    static final String RELEASED = "dev.twostep.feature.released.v1";

    /** The types in the feature's history, read from the event store: exact right after a request. */
    static List<String> changeTypes(String feature) {
        return given().get("/features/{key}/history", feature).then().statusCode(200).extract().jsonPath()
                .getList("type", String.class);
    }

    static long count(List<ReleaseEvent> events, Class<? extends ReleaseEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    static void awaitPercentage(String feature, String environment, float percentage) {
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/features/{key}", feature).then()
                .body("environments.find { it.environment == '" + environment + "' }.audience.percentage",
                        equalTo(percentage)));
    }
}
