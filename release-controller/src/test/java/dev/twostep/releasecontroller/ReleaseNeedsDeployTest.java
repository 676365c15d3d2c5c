package dev.twostep.releasecontroller;

import dev.twostep.access.Roles;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.RELEASED;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.awaitPercentage;
import static dev.twostep.releasecontroller.TopicFixtures.changeTypes;
import static dev.twostep.releasecontroller.TopicFixtures.deploySucceeded;
import static dev.twostep.releasecontroller.TopicFixtures.deployed;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.published;
import static dev.twostep.releasecontroller.TopicFixtures.releaseEvents;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ReleaseNeedsDeployTest {

    private static final String HALF_TO_ALICE = """
            {"percentage": 50, "users": ["alice"], "reason": "beta for half"}""";

    @Test
    void aReleaseIsRefusedBeforeTheDeployAndAllowedAfterIt() {
        String app = unique("shop");
        String feature = unique("one-click");
        published(app, "1.0.0", feature);

        json(HALF_TO_ALICE).put("/features/{key}/environments/prod/audience", feature).then().statusCode(409)
                .contentType("application/problem+json").body("detail", startsWith("release needs deploy"));
        assertThat(changeTypes(feature)).doesNotContain(RELEASED);

        EventEnvelope deployment = deployed(app, "1.0.0", "prod", feature);
        json(HALF_TO_ALICE).auth().oauth2(TestTokens.of("alice@example.com", Roles.RELEASE_MANAGER))
                .put("/features/{key}/environments/prod/audience", feature).then().statusCode(200)
                .body("environments[0].environment", equalTo("prod"))
                .body("environments[0].audience.percentage", equalTo(50.0f))
                .body("environments[0].audience.users", contains("alice"))
                .body("environments[0].deployedVersions[0].application", equalTo(app));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(KafkaProbe.readAll(Topics.RELEASE_EVENTS))
                .filteredOn(r -> feature.equals(r.key()))
                .filteredOn(r -> "dev.twostep.feature.released.v1".equals(KafkaProbe.header(r, "ce_type")))
                .extracting(r -> KafkaProbe.header(r, "ce_actor"), r -> KafkaProbe.header(r, "ce_correlationid"),
                        r -> KafkaProbe.header(r, "ce_causationid"))
                .as("the release continues the story of the deployment that brought the code")
                .containsExactly(tuple("alice@example.com", deployment.correlationId(), deployment.id().toString())));
        FeatureReleased released = (FeatureReleased) releaseEvents(feature).getLast();
        assertThat(released.previousAudience()).isEqualTo(ReleaseEvent.Audience.NOBODY);
        assertThat(released.bucketing()).isEqualTo(ReleaseEvent.FLAGD_FRACTIONAL_100K);

        given().get("/features/{key}/history", feature).then().statusCode(200)
                .body("reason", hasItem("beta for half"))
                .body("actor", hasItem("alice@example.com"));
    }

    @Test
    void aClientMistakeIsA4xxThatNamesItAndWritesNothing() {
        String feature = shopRunning("prod").feature();

        json("{\"percentage\": 12.3456, \"users\": [], \"reason\": \"too precise\"}")
                .put("/features/{key}/environments/prod/audience", feature).then().statusCode(400)
                .body("violations.field", contains("percentage"));
        json("{\"percentage\": 101, \"reason\": \"too much\"}")
                .put("/features/{key}/environments/prod/audience", feature).then().statusCode(400)
                .body("detail", containsString("percentage"));
        json("{\"percentage\": 12.345, \"users\": [], \"reason\": \"just right\"}")
                .put("/features/{key}/environments/prod/audience", feature).then().statusCode(200);
        json(HALF_TO_ALICE).put("/features/never-defined/environments/prod/audience").then().statusCode(404);
        json("{\"reason\": \"x\"}").post("/features/never-defined/environments/prod/rollback").then()
                .statusCode(404);
        given().get("/features/never-defined/history").then().statusCode(404);
        json(HALF_TO_ALICE).put("/features/{key}/environments/Prod!/audience", feature).then().statusCode(400);

        assertThat(changeTypes(feature)).filteredOn(RELEASED::equals).hasSize(1);
    }

    @Test
    void aDeployWithoutTheFeatureRollsItBackByItself() {
        TopicFixtures.Shop shop = shopRunning("prod", "staging");
        String app = shop.application();
        String feature = shop.feature();
        published(app, "2.0.0");
        audience(feature, "prod", HALF_TO_ALICE);
        audience(feature, "staging", HALF_TO_ALICE);

        deploySucceeded(app, "2.0.0", "prod");

        awaitPercentage(feature, "prod", 0f);
        given().get("/features/{key}", feature).then()
                .body("environments.find { it.environment == 'prod' }.audience.users", equalTo(List.of()))
                .body("environments.find { it.environment == 'staging' }.audience.percentage", equalTo(50.0f));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(feature))
                .filteredOn(FeatureRolledBack.class::isInstance).singleElement()
                .extracting("environment", "reason").containsExactly("prod", "code no longer deployed"));
        given().get("/features/{key}/history", feature).then()
                .body("find { it.reason == 'code no longer deployed' }.actor", equalTo("release-controller"));
    }

    @Test
    void aDeploySeenBeforeItsArtefactRollsBackOnlyOnceTheArtefactShowsTheFeatureGone() {
        TopicFixtures.Shop shop = shopRunning("prod");
        audience(shop.feature(), "prod", HALF_TO_ALICE);

        deploySucceeded(shop.application(), "2.0.0", "prod");
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/environments/prod/live").then()
                .body("applications.find { it.application == '" + shop.application() + "' }.version",
                        equalTo("2.0.0")));
        given().get("/features/{key}", shop.feature()).then()
                .body("environments[0].audience.percentage", equalTo(50.0f));

        published(shop.application(), "2.0.0");
        awaitPercentage(shop.feature(), "prod", 0f);
    }

    @Test
    void aFeatureLeavesWithTheVersionThatCarriedItEvenWhenItBelongsToAnotherApplication() {
        String owner = unique("owner");
        String carrier = unique("carrier");
        String feature = unique("feature");
        published(owner, "1.0.0", feature);
        published(carrier, "1.0.0", feature);
        deployed(carrier, "1.0.0", "prod", feature);
        audience(feature, "prod", HALF_TO_ALICE);
        published(carrier, "2.0.0");

        deploySucceeded(carrier, "2.0.0", "prod");

        awaitPercentage(feature, "prod", 0f);
    }

    @Test
    void anOlderSuccessArrivingLateDoesNotReplaceWhatRunsNow() {
        TopicFixtures.Shop shop = shopRunning("prod");
        published(shop.application(), "0.9.0");
        audience(shop.feature(), "prod", HALF_TO_ALICE);

        DeploymentSucceeded older = new DeploymentSucceeded("dep-" + UUID.randomUUID(), shop.application(),
                "0.9.0", "prod", "sha256:" + "a".repeat(64), "abcdef1", null);
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/deploy-orchestrator",
                older.aggregateId(), 3, Instant.now().minus(Duration.ofHours(1)), "story-old", null, "deployer",
                null, older)));

        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).untilAsserted(() -> given()
                .get("/features/{key}", shop.feature()).then()
                .body("environments[0].audience.percentage", equalTo(50.0f))
                .body("environments[0].deployedVersions.version", contains("1.0.0")));
    }

    @Test
    void aManualRollbackSwitchesOffAndIsRecorded() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", HALF_TO_ALICE);

        json("{\"reason\": \"support tickets\"}").post("/features/{key}/environments/prod/rollback", feature)
                .then().statusCode(200).body("environments[0].audience.percentage", equalTo(0f));
        json("{}").post("/features/{key}/environments/prod/rollback", feature).then().statusCode(400);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(feature))
                .filteredOn(FeatureRolledBack.class::isInstance).singleElement()
                .extracting("reason", "previousAudience.percentage").containsExactly("support tickets", 50.0));
    }
}
