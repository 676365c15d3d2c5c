package dev.twostep.releasecontroller;

import dev.twostep.releasecontroller.release.Bucketing;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.ofrep;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OfrepEvaluationTest {

    private static ValidatableResponse evaluate(String feature, String body) {
        return ofrep(body).post("/ofrep/v1/evaluate/flags/{key}", feature).then();
    }

    private static String context(String environment, String targetingKey) {
        return "{\"context\": {\"environment\": \"" + environment + "\", \"targetingKey\": \"" + targetingKey
                + "\", \"plan\": \"gold\"}}";
    }

    @Test
    void aSingleFlagIsEvaluatedWithReasonVariantAndMetadata() {
        String feature = shopRunning("prod").feature();
        evaluate(feature, context("prod", "anyone")).statusCode(200)
                .body("key", equalTo(feature)).body("value", equalTo(false)).body("reason", equalTo("DISABLED"));

        audience(feature, "prod", "{\"percentage\": 100, \"reason\": \"everyone\"}");
        evaluate(feature, context("prod", "anyone")).statusCode(200)
                .body("value", equalTo(true)).body("variant", equalTo("on")).body("reason", equalTo("STATIC"))
                .body("metadata.sequence", equalTo(2));
        evaluate(feature, "{\"context\": {\"environment\": \"prod\"}}").statusCode(200).body("value", equalTo(true));

        audience(feature, "prod", "{\"percentage\": 30, \"users\": [\"alice\"], \"reason\": \"a split\"}");
        evaluate(feature, context("prod", "alice")).statusCode(200)
                .body("value", equalTo(true)).body("reason", equalTo("TARGETING_MATCH"));
        for (String user : IntStream.range(0, 20).mapToObj(i -> "user-" + i).toList()) {
            boolean in = Bucketing.bucket(feature, user) < 30_000;
            evaluate(feature, context("prod", user)).statusCode(200).body("reason", equalTo("SPLIT"))
                    .body("value", equalTo(in)).body("variant", equalTo(in ? "on" : "off"))
                    .body("metadata.sequence", equalTo(3)).body("metadata.percentage", equalTo(30.0f));
        }
    }

    @Test
    void everyOfrepErrorHasItsCodeAndStatus() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 12.5, \"reason\": \"some\"}");

        evaluate(feature, "{\"context\": {\"environment\": \"prod\"}}").statusCode(400)
                .body("key", equalTo(feature)).body("errorCode", equalTo("TARGETING_KEY_MISSING"))
                .body("errorDetails", notNullValue());
        evaluate(feature, "{\"context\": {\"targetingKey\": \"u1\"}}").statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        evaluate(feature, "{\"context\": ").statusCode(400).body("errorCode", equalTo("PARSE_ERROR"));
        evaluate("no-such-flag", context("prod", "u1")).statusCode(404)
                .body("key", equalTo("no-such-flag")).body("errorCode", equalTo("FLAG_NOT_FOUND"));

        ofrep("{\"context\": {}}").post("/ofrep/v1/evaluate/flags").then().statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        ofrep("not json").post("/ofrep/v1/evaluate/flags").then().statusCode(400)
                .body("errorCode", equalTo("PARSE_ERROR"));
    }

    @Test
    void theOpenApiDocumentDescribesBothEndpointsAndTheirErrors() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/ofrep/v1/evaluate/flags/{key}'.post.responses.'404'.description",
                        equalTo("FLAG_NOT_FOUND"))
                .body("paths.'/ofrep/v1/evaluate/flags'.post.responses.'304'", notNullValue());
    }

    @Test
    void bulkEvaluationAnswers304UntilSomethingRelevantChanges() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 100, \"reason\": \"everyone\"}");
        String body = context("prod", "bob");

        String etag = ofrep(body).post("/ofrep/v1/evaluate/flags").then().statusCode(200)
                .body("flags.key", hasItem(feature))
                .body("flags.find { it.key == '" + feature + "' }.value", equalTo(true))
                .extract().header("ETag");
        assertThat(etag).startsWith("\"");
        ofrep(body).header("If-None-Match", etag).post("/ofrep/v1/evaluate/flags").then().statusCode(304);

        audience(feature, "prod", "{\"percentage\": 0, \"reason\": \"nobody\"}");
        String changed = ofrep(body).header("If-None-Match", etag).post("/ofrep/v1/evaluate/flags").then()
                .statusCode(200).body("flags.find { it.key == '" + feature + "' }.value", equalTo(false))
                .extract().header("ETag");
        assertThat(changed).isNotEqualTo(etag);

        // A flag without a targeting key where a percentage applies is an error entry, not a failed request.
        audience(feature, "prod", "{\"percentage\": 50, \"reason\": \"half\"}");
        ofrep("{\"context\": {\"environment\": \"prod\"}}").post("/ofrep/v1/evaluate/flags").then().statusCode(200)
                .body("flags.find { it.key == '" + feature + "' }.errorCode", equalTo("TARGETING_KEY_MISSING"));
    }
}
