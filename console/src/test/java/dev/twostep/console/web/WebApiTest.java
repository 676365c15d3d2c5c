package dev.twostep.console.web;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * The pages' API in the console's default configuration (the local sign-in off): who may call what, the timeline's
 * filters over the real read model, and bad input refused before any service is called.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class WebApiTest {

    @Test
    void theLocalSignInDoesNotExistUnlessSwitchedOn() {
        given().auth().none().get("/sign-in/personas").then().statusCode(404)
                .contentType("application/problem+json").body("detail", startsWith("the local sign-in is off"));
        given().auth().none().contentType("application/json").body("{\"persona\":\"sam\"}")
                .post("/sign-in/local").then().statusCode(404);
    }

    @Test
    void thePagesDataNeedsASignedInPersonAndSaysWhatTheyMayDo() {
        given().auth().none().get("/ui/api/me").then().statusCode(401);
        given().auth().oauth2(TestTokens.of("alice", "approver")).get("/ui/api/me").then().statusCode(200)
                .body("name", equalTo("alice")).body("may.approvePromotion", equalTo(true))
                .body("may.requestDeployment", equalTo(false))
                .body("may.changeRollout", equalTo(false)).body("may.rollBackApplication", equalTo(false));
        given().auth().oauth2(TestTokens.of("bob", "deployer")).get("/ui/api/me").then().statusCode(200)
                .body("may.requestDeployment", equalTo(true)).body("may.approvePromotion", equalTo(false));
        given().auth().oauth2(TestTokens.of("sam", "sre")).get("/ui/api/me").then().statusCode(200)
                .body("may.approvePromotion", equalTo(false)).body("may.changeRollout", equalTo(true))
                .body("may.rollBackApplication", equalTo(true));
        // The session cookie is read like a bearer header.
        given().auth().none().cookie(SignInResource.SESSION_COOKIE, TestTokens.of("viewer", "viewer"))
                .get("/ui/api/me").then().statusCode(200).body("name", equalTo("viewer"))
                .body("may.approvePromotion", equalTo(false));
    }

    @Test
    void theTimelineFiltersByEnvironmentAndApplicationAndLinksTheStory() {
        String environment = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "d-" + UUID.randomUUID();
        EventEnvelope deployed = new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf("deploy-orchestrator"), id,
                1, Instant.now(), "corr-" + environment, null, "argo-cd", null,
                new DeploymentSucceeded(id, "web-shop", "2.0.0", environment, "sha256:2", "abcdef1", null));
        KafkaProbe.send(CloudEventCodec.toRecord(deployed));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("environment", environment)
                .get("/ui/api/timeline").then().statusCode(200)
                .body("eventId", contains(deployed.id().toString()))
                .body("[0].summary", equalTo("web-shop 2.0.0 runs in " + environment + ", commit abcdef1"))
                .body("[0].actor", equalTo("argo-cd")).body("[0].application", equalTo("web-shop")));
        given().queryParam("environment", environment).queryParam("application", "another-app")
                .get("/ui/api/timeline").then().statusCode(200).body("size()", equalTo(0));
        given().get("/ui/api/stories/{id}", "corr-" + environment).then().statusCode(200)
                .body("eventId", hasItem(deployed.id().toString()));
    }

    @Test
    void badInputIsRefusedNamingTheFieldBeforeAnyServiceIsCalled() {
        given().contentType("application/json").body("{\"featureKey\":\"f\",\"environment\":\"prod\","
                        + "\"action\":\"delete\",\"reason\":\"why not\"}")
                .post("/ui/api/actions/rollout").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("action"));
        given().contentType("application/json").body("{\"environment\":\"prod\",\"application\":\"\"}")
                .post("/ui/api/actions/approve").then().statusCode(400)
                .body("violations.field", hasItem("application"));
        given().contentType("application/json").body("{\"environment\":\"prod\",\"application\":\"checkout\"}")
                .post("/ui/api/actions/deploy").then().statusCode(400)
                .body("violations.field", hasItem("version"));
        given().queryParam("since", "yesterday").get("/ui/api/timeline").then().statusCode(400)
                .body("violations.field", hasItem("since"));
        given().queryParam("after", "soon").get("/ui/api/timeline/stream").then().statusCode(400)
                .body("violations.field", hasItem("after"));
    }
}
