package dev.twostep.releasecontroller;

import dev.twostep.access.Roles;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Applications evaluate flags with API keys scoped to environments; people's tokens do not evaluate. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OfrepApiKeyTest {

    private static final String ALICE_IN_PROD = "{\"context\": {\"environment\": \"prod\", \"targetingKey\": \"alice\"}}";

    @Test
    void aKeyEvaluatesInItsEnvironmentsOnlyAndOneEnvironmentNeedNotBeNamed() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 100, \"reason\": \"everyone\"}");
        String prodKey = apiKey("prod");
        String devKey = apiKey("dev");

        evaluate(feature, ALICE_IN_PROD).header("X-API-Key", prodKey).post().then().statusCode(200)
                .body("value", equalTo(true));
        evaluate(feature, "{\"context\": {\"targetingKey\": \"alice\"}}").auth().oauth2(prodKey).post().then()
                .statusCode(200).body("value", equalTo(true));
        evaluate(feature, ALICE_IN_PROD).header("X-API-Key", devKey).post().then().statusCode(403)
                .body("errorCode", equalTo("GENERAL"))
                .body("errorDetails", equalTo("this API key may evaluate only in [dev], not in prod"));
        evaluateAll(ALICE_IN_PROD).header("X-API-Key", devKey).post("/ofrep/v1/evaluate/flags").then()
                .statusCode(403);
    }

    @Test
    void noKeyAnUnknownKeyAPersonsTokenOrARevokedKeyIs401() {
        String feature = shopRunning("prod").feature();
        evaluate(feature, ALICE_IN_PROD).auth().none().post().then().statusCode(401)
                .body("errorDetails", containsString("API key is required"));
        evaluate(feature, ALICE_IN_PROD).auth().none().header("X-API-Key", "twostep_ofrep_guessed").post().then()
                .statusCode(401).body("errorDetails", equalTo("the API key is unknown or revoked"));
        evaluate(feature, ALICE_IN_PROD).auth().oauth2(TestTokens.of("alice", Roles.RELEASE_MANAGER)).post().then()
                .statusCode(401);

        var issued = json("{\"name\": \"doomed\", \"environments\": [\"prod\"]}").post("/api-keys").then()
                .statusCode(201).extract();
        String key = issued.path("key");
        evaluate(feature, ALICE_IN_PROD).header("X-API-Key", key).post().then().statusCode(200);
        given().auth().oauth2(TestTokens.of("sam", Roles.SRE)).delete("/api-keys/{id}", issued.<String>path("id"))
                .then().statusCode(200).body("revokedBy", equalTo("sam"));
        evaluate(feature, ALICE_IN_PROD).header("X-API-Key", key).post().then().statusCode(401);
    }

    @Test
    void onlyAReleaseManagerIssuesKeysAndTheSecretIsShownOnce() {
        json("{\"name\": \"shop\", \"environments\": [\"prod\"]}").auth()
                .oauth2(TestTokens.of("dana", Roles.DEPLOYER)).post("/api-keys").then().statusCode(403)
                .body("detail", containsString("[release-manager]"));
        String key = json("{\"name\": \"shop\", \"environments\": [\"prod\"]}").auth()
                .oauth2(TestTokens.of("riley", Roles.RELEASE_MANAGER)).post("/api-keys").then().statusCode(201)
                .body("key", startsWith("twostep_ofrep_")).body("environments", hasItem("prod"))
                .extract().path("key");
        given().get("/api-keys").then().statusCode(200)
                .body("issuedBy", hasItem("riley"))
                .body(not(containsString(key)));
        json("{\"name\": \"shop\", \"environments\": [\"Prod!\"]}").post("/api-keys").then().statusCode(400)
                .body("violations[0].field", containsString("environments"));
        json("{\"name\": \"shop\", \"environments\": []}").post("/api-keys").then().statusCode(400);
        given().delete("/api-keys/{id}", "key-none").then().statusCode(404).body("detail", notNullValue());
    }

    @Test
    void issuingAndRevokingAreEventsWithTheirActorsAndNeverTheSecret() {
        var issued = json("{\"name\": \"audited\", \"environments\": [\"prod\", \"dev\"]}").post("/api-keys").then()
                .statusCode(201).extract();
        String keyId = issued.path("id");
        String secret = issued.path("key");
        given().auth().oauth2(TestTokens.of("sam", Roles.SRE)).delete("/api-keys/{id}", keyId).then().statusCode(200);
        given().auth().oauth2(TestTokens.of("sam", Roles.SRE)).delete("/api-keys/{id}", keyId).then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> records = KafkaProbe.readAll(Topics.RELEASE_EVENTS).stream()
                    .filter(r -> keyId.equals(r.key())).toList();
            assertThat(records).extracting(r -> KafkaProbe.header(r, "ce_type"))
                    .containsExactly("dev.twostep.apikey.issued.v1", "dev.twostep.apikey.revoked.v1");
            assertThat(records).extracting(r -> KafkaProbe.header(r, "ce_actor")).containsExactly(TestTokens.OPERATOR, "sam");
            assertThat(records).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .doesNotContain(secret).doesNotContain(secret.substring("twostep_ofrep_".length())));
            assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8).replace(" ", ""))
                    .contains("\"environments\":[\"dev\",\"prod\"]");
        });
    }

    private static RequestSpecification evaluate(String feature, String body) {
        return given().contentType(ContentType.JSON).body(body).basePath("/ofrep/v1/evaluate/flags/" + feature);
    }

    private static RequestSpecification evaluateAll(String body) {
        return given().contentType(ContentType.JSON).body(body);
    }
}
