package dev.twostep.releasecontroller;

import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.changeTypes;
import static dev.twostep.releasecontroller.TopicFixtures.deployed;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.ofrep;
import static dev.twostep.releasecontroller.TopicFixtures.published;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Flag definitions in flagd's format over HTTP: typed answers, the release rule, refusals that change nothing. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class TypedFlagsTest {

    static final String DEFINITION_PATH = "/features/{key}/environments/{env}/definition";

    static String theme(String segment) {
        return """
                {"state": "ENABLED", "defaultVariant": "classic",
                 "variants": {"classic": "classic", "dark": "dark", "neon": "neon"},
                 "targeting": {"if": [
                   {"$ref": "%s"}, "neon",
                   {"sem_ver": [{"var": "appVersion"}, ">=", "2.1.0"]},
                     {"fractional": [["dark", 50000], ["classic", 50000]]},
                   null]},
                 "metadata": {"team": "web"}}""".formatted(segment);
    }

    static void segment(String environment, String name, String rule) {
        json(rule).put("/environments/{env}/segments/{name}", environment, name).then().statusCode(200);
    }

    private static ExtractableResponse<Response> evaluate(String feature, String context) {
        return ofrep("{\"context\": " + context + "}").post("/ofrep/v1/evaluate/flags/{key}", feature).then()
                .extract();
    }

    @Test
    void aStringFlagAnswersItsVariantsWithTheReasonForEach() {
        String feature = shopRunning("prod").feature();
        String staff = unique("staff");
        segment("prod", staff, "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}");

        json(theme(staff)).put(DEFINITION_PATH, feature, "prod").then().statusCode(200)
                .body("environments.find { it.environment == 'prod' }.definition.defaultVariant", equalTo("classic"));

        ExtractableResponse<Response> staffer = evaluate(feature,
                "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"email\": \"kim@example.com\"}");
        assertThat(staffer.statusCode()).isEqualTo(200);
        assertThat(staffer.<String>path("value")).isEqualTo("neon");
        assertThat(staffer.<String>path("reason")).isEqualTo("TARGETING_MATCH");
        assertThat(staffer.<String>path("metadata.team")).isEqualTo("web");

        ExtractableResponse<Response> old = evaluate(feature,
                "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"appVersion\": \"2.0.9\"}");
        assertThat(old.<String>path("variant")).isEqualTo("classic");
        assertThat(old.<String>path("reason")).isEqualTo("DEFAULT");

        ExtractableResponse<Response> split = evaluate(feature,
                "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"appVersion\": \"2.1.0\"}");
        assertThat(split.<String>path("reason")).isEqualTo("SPLIT");
        assertThat(split.<String>path("variant")).isIn("dark", "classic");

        ExtractableResponse<Response> keyless = evaluate(feature, "{\"environment\": \"prod\", \"appVersion\": \"3.0.0\"}");
        assertThat(keyless.statusCode()).isEqualTo(400);
        assertThat(keyless.<String>path("errorCode")).isEqualTo("TARGETING_KEY_MISSING");

        given().get("/features").then().statusCode(200).body("featureKey", hasItem(feature));
    }

    @Test
    void numbersObjectsAndADisabledFlagAnswerTheirValues() {
        String feature = shopRunning("prod").feature();
        json("""
                {"state": "ENABLED", "defaultVariant": "small",
                 "variants": {"small": {"rows": 10, "dense": false}, "large": {"rows": 50, "dense": true}},
                 "targeting": {"if": [{"in": [{"var": "plan"}, ["pro", "team"]]}, "large"]}}""")
                .put(DEFINITION_PATH, feature, "prod").then().statusCode(200);

        ExtractableResponse<Response> pro = evaluate(feature, "{\"targetingKey\": \"u\", \"plan\": \"pro\", "
                + "\"environment\": \"prod\"}");
        assertThat(pro.<Integer>path("value.rows")).isEqualTo(50);
        assertThat(pro.<Boolean>path("value.dense")).isTrue();

        json("{\"state\": \"DISABLED\", \"defaultVariant\": \"low\", \"variants\": {\"low\": 0.25, \"high\": 0.75}}")
                .put(DEFINITION_PATH, feature, "prod").then().statusCode(200);
        ExtractableResponse<Response> disabled = evaluate(feature, "{\"targetingKey\": \"u\", \"environment\": \"prod\"}");
        assertThat(disabled.<Float>path("value")).isEqualTo(0.25f);
        assertThat(disabled.<String>path("reason")).isEqualTo("DISABLED");
    }

    @Test
    void aDefinitionThatCanServeAnotherVariantWaitsForTheDeployAndFallsBackWhenTheCodeLeaves() {
        String app = unique("shop");
        String feature = unique("theme");
        String staff = unique("staff");
        published(app, "1.0.0", feature);
        published(app, "0.9.0");
        segment("prod", staff, "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}");
        List<String> before = changeTypes(feature);

        json(theme(staff)).put(DEFINITION_PATH, feature, "prod").then().statusCode(409)
                .contentType("application/problem+json").body("detail", startsWith("release needs deploy"));
        assertThat(changeTypes(feature)).isEqualTo(before);

        deployed(app, "1.0.0", "prod", feature);
        json(theme(staff)).put(DEFINITION_PATH, feature, "prod").then().statusCode(200);

        TopicFixtures.deploySucceeded(app, "0.9.0", "prod");
        await().atMost(PATIENCE).untilAsserted(() -> {
            ExtractableResponse<Response> staffer = evaluate(feature,
                    "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"email\": \"kim@example.com\"}");
            assertThat(staffer.<String>path("variant")).isEqualTo("classic");
            assertThat(staffer.<String>path("reason")).isEqualTo("STATIC");
        });
        assertThat(changeTypes(feature)).containsSubsequence("dev.twostep.feature.rolledback.v1",
                "dev.twostep.feature.definitionset.v1");
    }

    @Test
    void aRolloutWidensItsTreatmentVariantAgainstTheDefaultAndKeepsWhoItHad() {
        String feature = shopRunning("prod").feature();
        json("""
                {"state": "ENABLED", "defaultVariant": "classic",
                 "variants": {"classic": "classic", "dark": "dark", "neon": "neon"},
                 "targeting": {"if": [{"==": [{"var": "plan"}, "vip"]}, "neon", null]}}""")
                .put(DEFINITION_PATH, feature, "prod").then().statusCode(200);

        json("""
                {"steps": [10, 50], "minRequestsPerStep": 100, "minStepDuration": "PT1M", "maxStepDuration": "PT1H",
                 "guard": {"metric": "errorRate", "maxIncrease": 0.5, "confidence": 0.95}, "treatment": "dark"}""")
                .post("/features/{key}/environments/prod/rollouts", feature).then().statusCode(201)
                .body("percentage", equalTo(10.0f)).body("treatment", equalTo("dark"))
                .body("control", equalTo("classic"));
        List<String> darkAt10 = dark(feature);
        json("{\"reason\": \"enough traffic\"}").post("/features/{key}/environments/prod/rollouts/promote", feature)
                .then().statusCode(200);
        List<String> darkAt50 = dark(feature);

        assertThat(darkAt10.size()).isBetween(120, 280);
        assertThat(darkAt50.size()).isBetween(880, 1120);
        assertThat(darkAt50).containsAll(darkAt10);
        assertThat(evaluate(feature, "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"plan\": \"vip\"}")
                .<String>path("variant")).isEqualTo("neon");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(TopicFixtures.releaseEvents(
                given().get("/features/{key}", feature).then().extract()
                        .<String>path("environments[0].activeRollout.rolloutId")))
                .anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                        dev.twostep.events.ReleaseEvent.RolloutStarted.class, started -> {
                            assertThat(started.treatment()).isEqualTo("dark");
                            assertThat(started.control()).isEqualTo("classic");
                        })));
    }

    /** Of 2,000 users without a rule of their own, those who get the treatment. */
    private static List<String> dark(String feature) {
        String key = apiKey("prod");
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ExtractableResponse<Response> answer = json("{\"context\": {\"targetingKey\": \"user-" + i + "\"}}")
                    .header("X-API-Key", key).post("/ofrep/v1/evaluate/flags/{key}", feature).then().extract();
            if ("dark".equals(answer.path("variant"))) {
                assertThat(answer.<String>path("reason")).isEqualTo("SPLIT");
                users.add("user-" + i);
            }
        }
        return users;
    }

    @Test
    void aChangedSegmentChangesTheFlagsThatReferenceIt() {
        String feature = shopRunning("prod").feature();
        String staff = unique("staff");
        segment("prod", staff, "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}");
        json(theme(staff)).put(DEFINITION_PATH, feature, "prod").then().statusCode(200);
        String partner = "{\"targetingKey\": \"u1\", \"environment\": \"prod\", \"email\": \"lee@partner.io\"}";
        assertThat(evaluate(feature, partner).<String>path("variant")).isEqualTo("classic");

        segment("prod", staff, "{\"ends_with\": [{\"var\": \"email\"}, \"@partner.io\"]}");

        assertThat(evaluate(feature, partner).<String>path("variant")).isEqualTo("neon");
    }

    /** Each refusal names where it is (a JSON Pointer) and why, and leaves the feature as it was. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": \"x\", \"b\": 2}}|/variants/b|type mismatch",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": 2}, \"targeting\": {\"if\": [{\"regex\": [{\"var\": \"e\"}, \"(a+)+$\"]}, \"b\"]}}|/targeting/if/0/regex|unsupported operation \"regex\"",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": 2}, \"targeting\": {\"if\": [{\"$ref\": \"no-such-segment\"}, \"b\"]}}|/targeting/if/0/$ref|unknown segment",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": 2}, \"targeting\": {\"if\": [{\"var\": \"beta\"}, \"c\"]}}|/targeting/if/1|not one of the flag's variants",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": 2}, \"targeting\": {\"if\": [DEEP, \"b\"]}}|/targeting/if/0/!/0|nested deeper than",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": 2}, \"targeting\": {\"if\": [{\"in\": [{\"var\": \"targetingKey\"}, HUGE]}, \"b\"]}}|/targeting/if/0/in/1/|more than 2000 nodes",
            "NOT JSON {|/|not JSON",
            "VERY_DEEP|/|not JSON",
    })
    void hostileDefinitionsAreRefusedWithTheirPathAndChangeNothing(String testCase) {
        String[] parts = testCase.split("\\|");
        String body = parts[0].replace("VERY_DEEP", "[".repeat(5_000) + "]".repeat(5_000))
                .replace("DEEP", deep(60)).replace("HUGE", huge(3_000));
        String feature = shopRunning("prod").feature();
        List<String> before = changeTypes(feature);
        Object viewBefore = given().get("/features/{key}", feature).then().extract().path("environments");

        json(body).put(DEFINITION_PATH, feature, "prod").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", startsWith(parts[1]))
                .body("violations[0].rule", org.hamcrest.Matchers.containsString(parts[2]));

        assertThat(changeTypes(feature)).isEqualTo(before);
        assertThat((Object) given().get("/features/{key}", feature).then().extract().path("environments"))
                .isEqualTo(viewBefore);
    }

    private static String deep(int levels) {
        return "{\"!\": [".repeat(levels) + "{\"var\": \"beta\"}" + "]}".repeat(levels);
    }

    private static String huge(int members) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < members; i++) {
            list.append(i == 0 ? "" : ",").append("\"user-").append(i).append('"');
        }
        return list.append(']').toString();
    }

    @Test
    void aSegmentOutsideTheSubsetIsRefusedWithItsPath() {
        json("{\"or\": [{\"var\": \"a\"}, {\"substr\": [\"x\", 1]}]}")
                .put("/environments/{env}/segments/{name}", "prod", unique("bad")).then().statusCode(400)
                .body("violations[0].field", equalTo("/or/1/substr"));
    }

    @Test
    void theFlagdDocumentIsScopedByKeyAndCachedByETag() {
        String feature = shopRunning("staging").feature();
        json("{\"percentage\": 12.5, \"users\": [\"qa\"], \"reason\": \"r\"}")
                .put("/features/{key}/environments/staging/audience", feature).then().statusCode(200);
        String key = apiKey("staging");

        ExtractableResponse<Response> document = given().header("X-API-Key", key)
                .get("/flagd/v1/flags.json?environment=staging").then().statusCode(200).extract();
        assertThat(document.<String>path("flags.'" + feature + "'.targeting.if[2].fractional[0][0]")).isEqualTo("on");
        assertThat(document.<Integer>path("flags.'" + feature + "'.targeting.if[2].fractional[0][1]"))
                .isEqualTo(12_500);
        String etag = document.header("ETag");

        given().header("X-API-Key", key).header("If-None-Match", etag).get("/flagd/v1/flags.json").then()
                .statusCode(304);
        given().header("X-API-Key", key).get("/flagd/v1/flags.json?environment=prod").then().statusCode(403);
        given().get("/flagd/v1/flags.json?environment=staging").then().statusCode(401);
    }
}
